using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Commands;

/// <summary>
/// The CLI's file inputs and arguments as a careless or hostile administrator gives them: seeded
/// mutations of valid files, device files, a FIFO, a directory, a huge sparse file and malformed
/// arguments, all through the real root command. Every run must end with exit 0, 1 or 2 within a
/// deadline, with a message in the user's terms: no .NET type names, no exception text, no hang.
/// Replay a failure with <c>CLUSTERCTL_FUZZ_SEED=&lt;seed&gt;</c>.
/// </summary>
public sealed partial class CliInputFuzzTests : IDisposable
{
    private const int DefaultSeed = 20261205;
    private const int CasesPerInput = 150;

    /// <summary>Far above any honest run (milliseconds); a blocked FIFO read or write never ends.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly string Inputs = Path.Combine(AppContext.BaseDirectory, "Inputs");
    private static readonly string GoodCrm = Path.Combine(Inputs, "fenced-cluster.crm");
    private static readonly string GoodCib = Path.Combine(Inputs, "mysql-drbd-modern.xml");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-fuzz-");
    private readonly CliHarness _cli = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> InputKinds => ["crm", "cib", "status"];

    public static TheoryData<string, string> HostileInputs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var path in new[] { "/dev/zero", "/dev/null", "fifo", "directory", "missing", "sparse-100MiB", "link-to-dev-zero" })
            {
                foreach (var verb in new[] { "validate", "show", "import-cib", "simulate-config", "simulate-status" })
                {
                    data.Add(path, verb);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string> HostileOutputs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var path in new[] { "/dev/null", "fifo", "directory", "link-to-dev-null" })
            {
                data.Add(path, "import-cib");
                data.Add(path, "simulate-run");
            }

            return data;
        }
    }

    public static TheoryData<string[], string> HostileArguments => new()
    {
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--depth", "1.5"], "--depth: '1.5' is not a whole number" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--depth", "abc"], "--depth: 'abc' is not a whole number" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--depth", ""], "--depth" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--depth", "-1"], "--depth" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--depth", "99999999999999999999"], "--depth" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--timeout", "-5"], "--timeout" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--param", "=x"], "--param" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", "monitor", "--param", "a=1", "--param", "a=2"], "--param" },
        { ["agent", "exec", "", "monitor"], "agent" },
        { ["agent", "exec", "ocf:pacemaker:Dummy", ""], "action" },
        { ["configure", "validate", ""], "FILE" },
        { ["configure", "show", ""], "FILE" },
        { ["configure", "import-cib", ""], "FILE" },
        { ["configure", "validate", "a.crm", "b.crm"], "b.crm" },
        { ["simulate", "--config", ""], "--config" },
        { ["simulate"], "--config" },
        { ["simulate", "--config", "x.crm", "--status", ""], "--status" },
        { ["simulate", "--config", "x.crm", "--run", "--status-out", ""], "--status-out" },
        { ["simulate", "--config", "x.crm", "--now", ""], "--now" },
        { ["simulate", "--config", "x.crm", "--fail", ""], "--fail" },
        { ["simulate", "--config", "x.crm", "--bogus"], "--bogus" },
        { ["configure", "import-cib", "x.xml", "--status-out", ""], "--status-out" },
        { ["--socket", "", "status"], "--socket" },
        { ["status", "--bogus"], "--bogus" },
        { ["frobnicate"], "frobnicate" },
    };

    [Theory]
    [MemberData(nameof(InputKinds))]
    public async Task MutatedInput_EveryVerb_EndsInTimeWithUserMessage(string kind)
    {
        var seed = Seed();
        var valid = await File.ReadAllBytesAsync(Path.Combine(Inputs, kind switch
        {
            "crm" => "seed-cluster.conf",
            "cib" => "mysql-drbd-modern.xml",
            _ => "fenced-status.json",
        }), Ct);
        var failures = new List<string>();
        for (var i = 0; i < CasesPerInput && failures.Count < 10; i++)
        {
            var mutator = new InputMutator(unchecked((seed * 31) + (kind.Length * 1_000_003) + i));
            var file = Path.Combine(_dir.FullName, $"{kind}-{i}.input");
            await File.WriteAllBytesAsync(file, mutator.Mutate(valid, json: kind == "status"), Ct);
            foreach (var args in CommandLines(kind, file))
            {
                if (await CheckAsync(args) is { } problem)
                {
                    failures.Add($"seed {seed} case {i} ({string.Join("; ", mutator.Applied)}): clusterctl {string.Join(' ', args)}: {problem}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"replay with CLUSTERCTL_FUZZ_SEED={seed}\n" + string.Join('\n', failures));
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task HostileInputPath_ExitsOneNamingThePath(string pathKind, string verb)
    {
        var path = await HostilePathAsync(pathKind);
        string[] args = verb switch
        {
            "validate" => ["configure", "validate", path],
            "show" => ["configure", "show", path],
            "import-cib" => ["configure", "import-cib", path],
            "simulate-config" => ["simulate", "--config", path],
            _ => ["simulate", "--config", GoodCrm, "--status", path],
        };

        var run = await RunWithinDeadlineAsync(args);

        Assert.Equal(ExitCodes.Error, run.ExitCode);
        Assert.Contains(path, run.Error, StringComparison.Ordinal);
        Assert.Null(Leak(run));
    }

    [Theory]
    [MemberData(nameof(HostileOutputs))]
    public async Task HostileOutputPath_IsRefusedAndLeftAsItWas(string pathKind, string verb)
    {
        var path = await HostilePathAsync(pathKind);
        var typeBefore = await FileTypeAsync(path);
        string[] args = verb == "import-cib"
            ? ["configure", "import-cib", GoodCib, "--status-out", path]
            : ["simulate", "--config", GoodCrm, "--run", "--status-out", path];

        var run = await RunWithinDeadlineAsync(args);

        Assert.Equal(ExitCodes.Error, run.ExitCode);
        Assert.Contains($"--status-out {path}: not a regular file", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out); // refused before any work, not after
        Assert.Null(Leak(run));
        Assert.Equal(typeBefore, await FileTypeAsync(path));
    }

    [Theory]
    [MemberData(nameof(HostileArguments))]
    public async Task HostileArgument_ExitsTwoWithUserMessage(string[] args, string expected)
    {
        var run = await RunWithinDeadlineAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Null(Leak(run));
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private IEnumerable<string[]> CommandLines(string kind, string file)
    {
        var statusOut = Path.Combine(_dir.FullName, "status-out.json");
        return kind switch
        {
            "crm" =>
            [
                ["configure", "validate", file],
                ["configure", "validate", file, "--json"],
                ["configure", "show", file],
                ["simulate", "--config", file, "--json"],
                ["simulate", "--config", file, "--run"],
            ],
            "cib" =>
            [
                ["configure", "validate", file],
                ["configure", "import-cib", file, "--status-out", statusOut],
                ["configure", "show", file, "--json"],
                ["simulate", "--config", file],
            ],
            _ =>
            [
                ["simulate", "--config", GoodCrm, "--status", file, "--now", "2026-03-01T12:30:00Z"],
                ["simulate", "--config", GoodCrm, "--status", file, "--run", "--status-out", statusOut, "--node-fail", "hadb02"],
            ],
        };
    }

    /// <summary>Null when the run ended as it should; else what went wrong.</summary>
    private async Task<string?> CheckAsync(string[] args)
    {
        CliRun run;
        try
        {
            run = await Task.Run(() => _cli.RunAsync(args, Ct), Ct).WaitAsync(Deadline, Ct);
        }
        catch (TimeoutException)
        {
            return $"no exit within {Deadline.TotalSeconds} s";
        }
        catch (Exception e)
        {
            return $"unhandled {e.GetType().Name}: {e.Message}";
        }

        if (run.ExitCode is not (ExitCodes.Ok or ExitCodes.Error or ExitCodes.Usage))
        {
            return $"exit {run.ExitCode}: {Excerpt(run.Error)}";
        }

        // validate --json reports its errors on stdout, in the JSON.
        if (run.ExitCode != ExitCodes.Ok && run.Error.Length == 0 && !run.Out.Contains("\"errors\"", StringComparison.Ordinal))
        {
            return $"exit {run.ExitCode} without a message";
        }

        return Leak(run);
    }

    private async Task<CliRun> RunWithinDeadlineAsync(string[] args)
    {
        var running = Task.Run(() => _cli.RunAsync(args, Ct), Ct);
        try
        {
            return await running.WaitAsync(Deadline, Ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"clusterctl {string.Join(' ', args)} did not exit within {Deadline.TotalSeconds} s");
            throw;
        }
    }

    /// <summary>The first internal detail in the output (a .NET type, exception text, a stack frame), or null.</summary>
    private static string? Leak(CliRun run)
    {
        var text = run.Out + run.Error;
        var match = LeakPattern().Match(text);
        return match.Success ? $"leaks '{match.Value}': {Excerpt(text[Math.Max(0, match.Index - 120)..])}" : null;
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static int Seed() =>
        Environment.GetEnvironmentVariable("CLUSTERCTL_FUZZ_SEED") is { } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;

    private async Task<string> HostilePathAsync(string kind)
    {
        var path = Path.Combine(_dir.FullName, kind);
        switch (kind)
        {
            case "/dev/zero" or "/dev/null":
                return kind;
            case "fifo":
                await RunToolAsync("mkfifo", path);
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "sparse-100MiB":
                await using (var sparse = new FileStream(path, FileMode.CreateNew))
                {
                    sparse.SetLength(100L * 1024 * 1024);
                }

                break;
            case "link-to-dev-zero":
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case "link-to-dev-null":
                File.CreateSymbolicLink(path, "/dev/null");
                break;
        }

        return path;
    }

    /// <summary>stat(1)'s name for the file type, following links.</summary>
    private static async Task<string> FileTypeAsync(string path) => (await RunToolAsync("stat", "-L", "-c", "%F", path)).Trim();

    private static async Task<string> RunToolAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    [GeneratedRegex(@"System\.|ClusterD\.|`1|Parameter '|Exception|internal error|\n\s+at \S+\(")]
    private static partial Regex LeakPattern();
}
