using System.Diagnostics;
using System.Globalization;
using ClusterD.AzureArmStub;
using ClusterD.Fencing;
using ClusterD.Fencing.Azure;

namespace ClusterD.FailoverHarness;

/// <summary>
/// The built-in Azure agent's <c>off</c> against the local Resource Manager endpoint (<see cref="ArmStub"/>, real HTTPS
/// on loopback, managed identity): a VM that reports "stopping" for <c>transitionReads</c> instance-view reads, then
/// stopped. Counts the requests of each fence and times it. The requests a fence needs are one token, one instance
/// view before, the power-off and one instance view per poll until stopped (the token is cached across fences).
/// </summary>
internal static class AzureFence
{
    public static async Task<int> RunAsync(int runs, int transitionReads, int pollMs)
    {
        var dir = Directory.CreateTempSubdirectory("clusterd-bench-arm-");
        try
        {
            await using var stub = await ArmStub.StartAsync(dir.FullName, CancellationToken.None);
            var parameters = stub.Parameters();
            parameters["stonith_status_sleep"] = (pollMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
            var wall = new List<double>();
            var requests = new List<double>();
            var arm = new List<double>();
            Console.WriteLine($"azure-fence: {runs} runs, the VM stops after {transitionReads} 'stopping' reads, poll interval {pollMs} ms");
            for (var run = 0; run < runs + 1; run++)
            {
                stub.AddVm("hadb02");
                stub.TransitionReads = transitionReads;
                var before = stub.Calls.Count;
                // A fresh agent per fence, as the fencer runs one: its token request is part of the cost.
                var agent = new AzureArmFenceAgent(TimeProvider.System, new AzureAgentOptions());
                var started = Stopwatch.GetTimestamp();
                var result = await agent.RunAsync(new FenceRequest(FenceAction.Off, "hadb02", parameters, TimeSpan.FromSeconds(60)), CancellationToken.None);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!result.Succeeded || stub.PowerState("hadb02") != "stopped")
                {
                    Console.Error.WriteLine($"run {run}: fence failed: {result.Output}");
                    return 1;
                }

                var calls = stub.Calls.Skip(before).ToArray();
                if (run == 0)
                {
                    continue; // warm-up: JIT and the first TLS handshake
                }

                wall.Add(elapsed);
                requests.Add(calls.Length);
                arm.Add(calls.Count(c => c.Vm is not null));
            }

            var needed = 1 + 1 + (transitionReads + 1);
            Console.WriteLine($"requests per fence: {requests.Min():0}-{requests.Max():0}, of them Resource Manager {arm.Min():0}-{arm.Max():0}; "
                + $"needed: {needed} (instance view, power-off, {transitionReads + 1} polls) and a token when none is cached");
            Console.WriteLine("| off + confirm | n | p50 | p90 | p99 | max |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine(Percentiles.Row("wall time (ms)", wall, 1));
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
