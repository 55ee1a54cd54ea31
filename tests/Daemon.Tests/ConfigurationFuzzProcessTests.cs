using System.Globalization;
using ClusterD.TestKit;
using ClusterD.TestKit.Processes;

namespace ClusterD.Daemon.Tests;

/// <summary>
/// The real clusterd started with broken configurations: each run exits 78 with a message naming the file
/// (and the line where there is one), or starts and stops cleanly on SIGTERM; never an abort (134), a hang
/// or a deleted file. Replay a failing mutation with CLUSTERD_FUZZ_SEED set to the seed it prints.
/// </summary>
public sealed class ConfigurationFuzzProcessTests : IDisposable
{
    private const int Mutations = 40;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(30);
    private readonly ConfigFuzz _fuzz = new("clusterd-pfuzz-");
    private readonly string _address = $"127.{210 + (Environment.ProcessId % 40)}.{Random.Shared.Next(1, 250)}.1";
    private readonly int _port = 20000 + (Environment.ProcessId % 5000) * 2;

    public void Dispose() => _fuzz.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Conf => Path.Combine(_fuzz.Root, "clusterd.conf");

    private string BaseText => _fuzz.BaseText(_address, "127.0.0.2", _port);

    public static TheoryData<string> NamedCases => new(
        "config:/dev/zero", "config:fifo", "config:dir",
        "state_dir:/dev/null", "state_dir:/proc/1", "state_dir:/sys/kernel", "state_dir:regular", "state_dir:long",
        "admin_socket:long", "admin_socket:dir", "admin_socket:regular", "admin_socket:authkey",
        "authkey:/dev/zero", "authkey:/etc/passwd", "authkey:fifo", "authkey:dir", "authkey:0644", "authkey_accept:/dev/zero",
        "ring0_addr:duplicate", "ring0_addr:0.0.0.0", "ring0_addr:255.255.255.255", "ring0_addr:224.0.0.1", "ring0_addr:1.5");

    [Theory]
    [MemberData(nameof(NamedCases))]
    public async Task Run_NamedBrokenInput_Exits78NamingFileAndLine(string name)
    {
        var (key, value) = (name.Split(':', 2)[0], name.Split(':', 2)[1]);
        value = value switch
        {
            "fifo" => _fuzz.FifoPath,
            "dir" => _fuzz.DirectoryPath,
            "regular" => _fuzz.RegularFile,
            "authkey" => _fuzz.KeyPath,
            "long" => Path.Combine(_fuzz.Root, new string('l', key == "admin_socket" ? 110 : 300)),
            "duplicate" => _address, // node2 gets node1's address: the error is at node2's line
            "0644" => OpenKey(),
            _ => value,
        };
        var config = Conf;
        var text = BaseText;
        string expected;
        if (key == "config")
        {
            config = value;
            expected = $"clusterd: {value}: file: ";
        }
        else
        {
            var lines = text.Split('\n').ToList();
            Predicate<string> isKey = l => l.TrimStart().StartsWith(key == "authkey_accept" ? "authkey:" : key + ":", StringComparison.Ordinal);
            var at = name.EndsWith(":duplicate", StringComparison.Ordinal) ? lines.FindLastIndex(isKey) : lines.FindIndex(isKey);
            var line = $"{lines[at][..(lines[at].IndexOf(key == "authkey_accept" ? "authkey" : key, StringComparison.Ordinal))]}{key}: {value}";
            if (key == "authkey_accept")
            {
                lines.Insert(at + 1, line);
                at++;
            }
            else
            {
                lines[at] = line;
            }

            text = string.Join('\n', lines);
            var section = key == "ring0_addr" ? "node" : "clusterd";
            expected = key.StartsWith("authkey", StringComparison.Ordinal)
                ? $"clusterd: {value}: "
                : $"clusterd: {Conf}:{at + 1}: {section}.{key}: ";
        }

        var (exit, output) = await RunAsync(config, text, $"named case {name}");

        Assert.True(exit == 78 && output.Contains(expected, StringComparison.Ordinal),
            $"{name}: expected exit 78 and '{expected}', got exit {exit}:\n{output}");
        Assert.True(_fuzz.DamagedFiles() is null, $"{name}: {_fuzz.DamagedFiles()}");
    }

    [Fact]
    public async Task Run_SeededMutations_Exit78NamingFileOrStartAndStopCleanly()
    {
        var seed = Environment.GetEnvironmentVariable("CLUSTERD_FUZZ_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 1;
        var outcomes = new List<string>();
        for (var i = 0; i < Mutations; i++)
        {
            var replay = $"seed {seed + i} (CLUSTERD_FUZZ_SEED={seed}, mutation {i})";
            var text = _fuzz.Mutate(new Random(seed + i), BaseText);
            var (exit, output) = await RunAsync(Conf, text, replay);

            // Exit 1 is a start-up failure of this host (a port in use), said as such, not a configuration error.
            var named = output.Contains($"clusterd: {Conf}", StringComparison.Ordinal) || output.Contains($"clusterd: {_fuzz.Root}", StringComparison.Ordinal)
                || output.Contains("clusterd: /", StringComparison.Ordinal);
            Assert.True(exit switch { 78 => named, 0 => true, 1 => output.StartsWith("clusterd: ", StringComparison.Ordinal), _ => false },
                $"{replay}: exit {exit}\n--- output ---\n{output}\n--- configuration ---\n{text}");
            Assert.True(_fuzz.DamagedFiles() is null, $"{replay}: {_fuzz.DamagedFiles()}\n--- configuration ---\n{text}");
            outcomes.Add(exit.ToString(CultureInfo.InvariantCulture));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"exit {g.Key}: {g.Count()}")));
        Assert.Contains("0", outcomes);
        Assert.Contains("78", outcomes);
    }

    /// <summary>A valid key with mode 0644 beside the real one.</summary>
    private string OpenKey()
    {
        var path = Path.Combine(_fuzz.Root, "authkey-0644");
        File.Copy(_fuzz.KeyPath, path, overwrite: true);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));
        return path;
    }

    /// <summary>Runs clusterd on <paramref name="text"/> until it exits or serves (then SIGTERM); the exit code and all output.</summary>
    private async Task<(int Exit, string Output)> RunAsync(string config, string text, string replay)
    {
        if (config == Conf)
        {
            await File.WriteAllTextAsync(Conf, text, Ct);
        }

        await using var process = ClusterdProcess.Start("node1", config, Path.Combine(_fuzz.Root, "node1", "clusterd.sock"));
        try
        {
            await process.WaitForOutputAsync("Admin API listening", RunLimit, Ct);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{replay}: clusterd neither exited nor served: {e.Message}\n--- configuration ---\n{text}");
        }

        if (!process.HasExited)
        {
            process.Signal(Signals.SigTerm);
        }

        var exit = await process.WaitForExitAsync(RunLimit);
        return (exit, process.Output);
    }
}
