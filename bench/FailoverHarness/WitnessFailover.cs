using ClusterD.AzureArmStub;

namespace ClusterD.FailoverHarness;

/// <summary>
/// kill -9 of the active node of two real daemons (the seed's shape, the default 15 s
/// <c>priority-fencing-delay</c>), with a cloud witness on the local Azure stub's Blob service and without:
/// how soon the survivor fences (kill -> fence requested -> witness acquired -> fence done -> failover completed).
/// </summary>
internal static class WitnessFailover
{
    public static async Task<int> RunAsync(int runs, int delayRuns, int tokenMs, string? binary)
    {
        var directory = Directory.CreateTempSubdirectory("clusterd-witness-bench-");
        try
        {
            await using var stub = await ArmStub.StartAsync(directory.FullName, CancellationToken.None);
            Console.WriteLine($"witness-failover: token {tokenMs} ms, witness {stub.BlobEndpoint}, {(binary is null ? "JIT build" : binary)}, load {Load()}");
            foreach (var (witness, count) in new[] { (true, runs), (false, delayRuns) })
            {
                var label = witness ? "witness (head start 200 ms)" : "no witness, priority-fencing-delay 15 s (default)";
                var phases = new Dictionary<string, List<double>>(StringComparer.Ordinal);
                for (var run = 0; run < count; run++)
                {
                    var result = await ControllerFailover.OneRunAsync(null, tokenMs, binary, witness ? bed => bed.AddToQuorum(stub.WitnessSection()) : null);
                    if (result is null)
                    {
                        Console.Error.WriteLine($"{label} run {run + 1}: no failover");
                        return 1;
                    }

                    Console.WriteLine($"{label} run {run + 1,2}: " + string.Join(", ", result.Select(p => $"{p.Key} {p.Value:F0}")) + " ms");
                    if (result.TryGetValue("fence requested", out var requested) && result.TryGetValue("fence done", out var done))
                    {
                        result["(fence requested -> fence done)"] = done - requested;
                    }

                    foreach (var (phase, ms) in result)
                    {
                        (phases.TryGetValue(phase, out var list) ? list : phases[phase] = []).Add(ms);
                    }
                }

                if (count == 0)
                {
                    continue;
                }

                Console.WriteLine();
                Console.WriteLine($"{label}, token {tokenMs} ms, {count} runs (ms after the kill), load {Load()}:");
                Console.WriteLine("| kill -> | n | p50 | p90 | p99 | max |");
                Console.WriteLine("|---|---|---|---|---|---|");
                foreach (var (phase, list) in phases)
                {
                    Console.WriteLine(Percentiles.Row(phase, list, 0, withP99: true));
                }

                Console.WriteLine();
            }

            Console.WriteLine($"lease calls on the stub: {string.Join(", ", stub.BlobCalls.GroupBy(c => $"{c.Operation} {c.Status}").Select(g => $"{g.Key} x{g.Count()}"))}");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
