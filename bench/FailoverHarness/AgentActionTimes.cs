using System.Diagnostics;
using ClusterD.Agents;
using ClusterD.Agents.Native;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;
using ClusterD.TestKit.Processes;

namespace ClusterD.FailoverHarness;

/// <summary>
/// Wall time per action of the native agents against the OCF scripts doing the same job, on this machine,
/// interleaved run by run so both see the same noise: Dummy start+stop, Filesystem monitor on a real ext3
/// loop mount (needs root). Reports medians and the ratio.
/// </summary>
internal static class AgentActionTimes
{
    public static async Task<int> RunAsync(int runs)
    {
        var time = TimeProvider.System;
        var scratch = Directory.CreateTempSubdirectory("clusterd-agent-bench-").FullName;
        var runner = new AgentProcessRunner(new AgentProcessRunnerOptions { ReapOrphans = true }, time);
        var native = new NativeAgentOptions { StateDirectory = Path.Combine(scratch, "state") };
        var scripts = new ScriptAgentOptions { ResourceTempDirectory = Path.Combine(scratch, "rsctmp") };
        var resolver = new AgentResolver(new AgentRegistry().RegisterBuiltIns(native, time, runner), scripts, runner);
        try
        {
            await CompareAsync(resolver, "Dummy start+stop", "ocf:heartbeat:Dummy", runs, [AgentAction.Start, AgentAction.Stop], [], "bench_dummy");
            await FilesystemAsync(resolver, scratch, runs);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        return 0;
    }

    private static async Task FilesystemAsync(AgentResolver resolver, string scratch, int runs)
    {
        var image = Path.Combine(scratch, "disk.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(32L * 1024 * 1024);
        }

        await RunAsync("mkfs.ext3", "-q", "-F", image);
        var device = (await RunAsync("losetup", "--find", "--show", image)).Trim();
        var parameters = new Dictionary<string, string> { ["device"] = device, ["directory"] = Path.Combine(scratch, "mnt"), ["fstype"] = "ext3" };
        var agent = resolver.Resolve("ocf:heartbeat:Filesystem");
        try
        {
            var start = await agent.ExecuteAsync(new AgentRequest(AgentAction.Start, "bench_fs") { Parameters = parameters }, CancellationToken.None);
            if (!start.IsSuccess)
            {
                Console.WriteLine($"Filesystem: cannot mount {device} ({start.ExitReason}); root is needed");
                return;
            }

            await CompareAsync(resolver, "Filesystem monitor", "ocf:heartbeat:Filesystem", runs, [AgentAction.Monitor], parameters, "bench_fs");
            await CompareAsync(resolver, "Filesystem monitor depth 10", "ocf:heartbeat:Filesystem", runs, [AgentAction.Monitor], parameters, "bench_fs", checkLevel: 10);
            await agent.ExecuteAsync(new AgentRequest(AgentAction.Stop, "bench_fs") { Parameters = parameters }, CancellationToken.None);
        }
        finally
        {
            await RunAsync("losetup", "-d", device);
        }
    }

    private static async Task CompareAsync(AgentResolver resolver, string label, string name, int runs, AgentAction[] actions,
        Dictionary<string, string> parameters, string instance, int checkLevel = 0)
    {
        var agents = new[] { resolver.Resolve(name), resolver.Resolve("script:" + name) };
        var samples = new[] { new List<double>(), new List<double>() };
        for (var run = -3; run < runs; run++)
        {
            for (var which = 0; which < 2; which++)
            {
                var started = Stopwatch.GetTimestamp();
                foreach (var action in actions)
                {
                    var result = await agents[which].ExecuteAsync(
                        new AgentRequest(action, instance) { Parameters = parameters, CheckLevel = checkLevel }, CancellationToken.None);
                    if (!result.IsSuccess)
                    {
                        throw new InvalidOperationException($"{agents[which].GetType().Name} {action}: {result.Name} {result.ExitReason}");
                    }
                }

                if (run >= 0)
                {
                    samples[which].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }

        var nativeMedian = Median(samples[0]);
        var scriptMedian = Median(samples[1]);
        Console.WriteLine($"{label,-30} native {nativeMedian,9:F3} ms   script {scriptMedian,9:F3} ms   script/native {scriptMedian / nativeMedian,8:F0}x   ({runs} runs each, interleaved)");
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(program, args, CancellationToken.None);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"{program}: {result.Stderr}");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
