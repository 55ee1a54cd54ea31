using ClusterD.Daemon.Demo;
using ClusterD.TestKit.Testbed;

namespace ClusterD.FailoverHarness;

/// <summary>
/// Randomized faults (crash, freeze past token, short freeze, standby, link cut, mysqld killed) on the end-to-end
/// testbed under one writing client, seeded; at the end the safety checks: no acknowledged write missing, never two
/// Primaries, no state change DRBD refused, no write acknowledged by a node that was not Primary.
/// </summary>
internal static class MysqlFaults
{
    public static async Task<int> RunAsync(int runs, int seed, string? binary)
    {
        if (Testbed.Unavailable() is { } why)
        {
            Console.Error.WriteLine($"mysql-faults: {why}");
            return 1;
        }

        Console.WriteLine($"mysql-faults: {runs} faults, seed {seed}, token 1000 ms, priority-fencing-delay 3s, {(binary is null ? "JIT build" : binary)}");
        var random = new Random(seed);
        await using var bed = await Testbed.UpAsync(1000, "3s", binary);
        await bed.WaitForPlacementAsync(TimeSpan.FromSeconds(90));
        await using var load = WriteLoad.Start(Testbed.ConnectionString());
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var run = 0; run < runs; run++)
        {
            var what = await RandomFaults.RunOneAsync(bed, random, CancellationToken.None);
            Console.WriteLine($"fault {run + 1,3}: {what}");
            var kind = what.Split(' ')[0];
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        await load.StopAsync();
        var violations = await bed.ViolationsAsync(load, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine($"{runs} faults ({string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}), seed {seed}");
        Console.WriteLine($"{load.Acknowledged.Count} writes acknowledged, {load.Failures.Count} failed, {bed.DrbdRecord().Promotions.Count()} promotions, max Primaries at once {bed.DrbdRecord().MaxPrimaries}");
        Console.WriteLine(violations.Count == 0 ? "violations: none" : "VIOLATIONS:\n" + string.Join('\n', violations));
        return violations.Count == 0 ? 0 : 1;
    }
}
