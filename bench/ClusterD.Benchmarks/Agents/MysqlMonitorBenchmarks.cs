using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using ClusterD.Agents;
using ClusterD.Agents.Native;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;

namespace ClusterD.Benchmarks.Agents;

/// <summary>
/// One monitor of a running MariaDB server, native (<c>ocf:heartbeat:mysql</c> resolved to the
/// native agent: a query through MySqlConnector) against Debian's script (<c>script:ocf:heartbeat:mysql</c>:
/// a shell, its libraries, and at depth 10 the <c>mysql</c> client), both through <see cref="IResourceAgent"/>.
/// At depth 0 the script only checks the pid while the native agent also queries; at depth 10 both query.
/// Needs root, <c>mariadb-server</c> and <c>resource-agents</c>; the server runs on a scratch datadir.
/// </summary>
[Config(typeof(BenchConfig))]
public class MysqlMonitorBenchmarks
{
    private string _scratch = "";
    private IResourceAgent _native = null!;
    private IResourceAgent _script = null!;
    private AgentRequest _monitor = null!;

    [Params(0, 10)]
    public int Depth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scratch = Directory.CreateTempSubdirectory("clusterd-mysql-bench-").FullName;
        var datadir = Path.Combine(_scratch, "data");
        Run("/usr/bin/mariadb-install-db", "--no-defaults", $"--datadir={datadir}", "--user=root", "--skip-test-db", "--innodb-log-file-size=8M");
        var config = Path.Combine(_scratch, "my.cnf");
        File.WriteAllText(config, "[mysqld]\nskip-networking\nperformance_schema=OFF\ninnodb_buffer_pool_size=16M\ninnodb_log_file_size=8M\n");

        var time = TimeProvider.System;
        var runner = new AgentProcessRunner(new AgentProcessRunnerOptions { ReapOrphans = true }, time);
        var resolver = new AgentResolver(
            new AgentRegistry().RegisterBuiltIns(new NativeAgentOptions { StateDirectory = Path.Combine(_scratch, "state") }, time, runner),
            new ScriptAgentOptions { ResourceTempDirectory = Path.Combine(_scratch, "rsctmp") },
            runner);
        _native = resolver.Resolve("ocf:heartbeat:mysql");
        _script = resolver.Resolve("script:ocf:heartbeat:mysql");
        _monitor = new AgentRequest(AgentAction.Monitor, "bench_mysql")
        {
            Parameters = new Dictionary<string, string>
            {
                ["binary"] = "/usr/sbin/mariadbd",
                ["config"] = config,
                ["datadir"] = datadir,
                ["user"] = "root",
                ["group"] = "root",
                ["log"] = Path.Combine(_scratch, "error.log"),
                ["pid"] = Path.Combine(_scratch, "mysqld.pid"),
                ["socket"] = Path.Combine(_scratch, "mysqld.sock"),
            },
            Timeout = TimeSpan.FromSeconds(30),
            CheckLevel = Depth,
        };

        var start = _native.ExecuteAsync(_monitor with { Action = AgentAction.Start, Timeout = TimeSpan.FromSeconds(120) }, CancellationToken.None).GetAwaiter().GetResult();
        Check("start", start);
        Check("native monitor", _native.ExecuteAsync(_monitor, CancellationToken.None).GetAwaiter().GetResult());
        Check("script monitor", _script.ExecuteAsync(_monitor, CancellationToken.None).GetAwaiter().GetResult());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _native.ExecuteAsync(_monitor with { Action = AgentAction.Stop, Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None).GetAwaiter().GetResult();
        Directory.Delete(_scratch, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task<AgentResult> ScriptMonitor() => _script.ExecuteAsync(_monitor, CancellationToken.None);

    [Benchmark]
    public Task<AgentResult> NativeMonitor() => _native.ExecuteAsync(_monitor, CancellationToken.None);

    private static void Check(string what, AgentResult result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"{what}: {result.Name} {result.ExitReason} {result.Output}");
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{program} exited {process.ExitCode}: {output}"));
        }
    }
}
