using System.Globalization;
using ClusterD.Membership.Configuration;
using ClusterD.Messaging.Security;
using ClusterD.TestKit;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>
/// Thousands of seeded mutations of a valid configuration through what clusterd does before it starts:
/// load the file, prepare its paths, read its key files. Each ends in a configuration or key error that
/// names the file, or in a configuration that passes; never another exception, a hang or a damaged file.
/// Replay a failure with CLUSTERD_FUZZ_SEED set to the seed it prints.
/// </summary>
public sealed class ConfigurationFuzzTests : IDisposable
{
    private const int Mutations = 3000;
    private readonly ConfigFuzz _fuzz = new("clusterd-fuzz-");

    public void Dispose() => _fuzz.Dispose();

    [Fact]
    public async Task LoadPrepareAndReadKeys_SeededMutations_EndInNamedErrorOrValidConfiguration()
    {
        var seed = Environment.GetEnvironmentVariable("CLUSTERD_FUZZ_SEED") is { } s
            ? int.Parse(s, CultureInfo.InvariantCulture)
            : 1;
        var path = Path.Combine(_fuzz.Root, "clusterd.conf");
        var baseText = _fuzz.BaseText("127.0.0.1", "127.0.0.2", 17405);
        var outcomes = new Dictionary<string, int>();

        // On its own thread with a deadline: a read that blocks (a FIFO) fails the test instead of hanging it.
        var run = Task.Run(() =>
        {
            for (var i = 0; i < Mutations; i++)
            {
                var random = new Random(seed + i);
                var text = _fuzz.Mutate(random, baseText);
                File.WriteAllText(path, text);
                var outcome = Attempt(path, $"seed {seed + i} (CLUSTERD_FUZZ_SEED={seed}, mutation {i})", text);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }, TestContext.Current.CancellationToken);
        await run.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Value,5} {o.Key}")));

        // The mutations must reach both ends: some configurations pass, most fail for many different keys.
        Assert.True(outcomes.GetValueOrDefault("ok") > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.Count > 20, string.Join(", ", outcomes));
    }

    [Theory]
    [InlineData("/dev/zero", "is a character device, not a regular file")]
    [InlineData("fifo", "is a FIFO, not a regular file")]
    [InlineData("dir", "is a directory, not a regular file")]
    public async Task Load_NotARegularFile_FailsAtOnceNamingFile(string which, string problem)
    {
        var path = which switch { "fifo" => _fuzz.FifoPath, "dir" => _fuzz.DirectoryPath, _ => which };

        var e = await Task.Run(() => Assert.Throws<ConfigException>(() => ClusterConfigurationLoader.Load(path)), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal($"{path}: file: {problem}", e.Message);
    }

    [Fact]
    public void Load_LargerThanLimit_FailsNamingLimit()
    {
        var path = Path.Combine(_fuzz.Root, "huge.conf");
        File.WriteAllText(path, new string('#', ClusterConfigurationLoader.MaxFileBytes + 1));

        var e = Assert.Throws<ConfigException>(() => ClusterConfigurationLoader.Load(path));

        Assert.Equal($"{path}: file: is larger than {ClusterConfigurationLoader.MaxFileBytes} bytes", e.Message);
    }

    [Fact]
    public void Load_AtLimit_IsRead()
    {
        var path = Path.Combine(_fuzz.Root, "padded.conf");
        var text = _fuzz.BaseText("127.0.0.1", "127.0.0.2", 17405);
        File.WriteAllText(path, text + new string('#', ClusterConfigurationLoader.MaxFileBytes - text.Length));

        Assert.Equal(2, ClusterConfigurationLoader.Load(path).Nodes.Count);
    }

    [Fact]
    public void Load_NotUtf8_FailsNamingFile()
    {
        var path = Path.Combine(_fuzz.Root, "latin1.conf");
        File.WriteAllBytes(path, [.. "totem {\n cluster_name: caf"u8, 0xE9, .. "\n}\n"u8]);

        var e = Assert.Throws<ConfigException>(() => ClusterConfigurationLoader.Load(path));

        Assert.Equal($"{path}: file: is not UTF-8 text", e.Message);
    }

    private string Attempt(string path, string replay, string text)
    {
        string outcome;
        try
        {
            var config = ClusterConfigurationLoader.Load(path);
            DaemonPaths.Prepare(config);
            outcome = new[] { config.ClusterD.AuthKey }.Concat(config.ClusterD.AuthKeyAccept).All(key => ReadKey(key, replay, text))
                ? "ok"
                : "key file";
        }
        catch (ConfigException e)
        {
            Assert.True(e.File == path && e.Message.StartsWith(path + ":", StringComparison.Ordinal),
                $"{replay}: the error does not name the file: {e.Message}\n{text}");
            outcome = e.Key;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{replay}: {e.GetType().Name} escaped: {e}\n--- configuration ---\n{text}");
            throw;
        }

        Assert.True(_fuzz.DamagedFiles() is null, $"{replay}: {_fuzz.DamagedFiles()}\n{text}");
        return outcome;
    }

    /// <summary>False when the key file is refused with an error naming it.</summary>
    private static bool ReadKey(string key, string replay, string text)
    {
        try
        {
            AuthKeyFile.Read(key);
            return true;
        }
        catch (AuthKeyFileException e)
        {
            Assert.True(e.Path == key && e.Message.StartsWith(key + ":", StringComparison.Ordinal),
                $"{replay}: the key error does not name the key file: {e.Message}\n{text}");
            return false;
        }
    }
}
