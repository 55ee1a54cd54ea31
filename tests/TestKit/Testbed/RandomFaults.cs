using ClusterD.Admin.V1;

namespace ClusterD.TestKit.Testbed;

/// <summary>
/// Randomized faults on a running testbed under a writing client: each run picks a fault and a node (active or
/// passive), applies it, waits until the service runs again, undoes it (boot, heal, unstandby, cleanup) and waits
/// until the cluster settles. Seeded: a run is replayed by its seed. The checks that matter are the client's and
/// the DRBD record's, made by the caller after any number of runs (<see cref="Testbed.ViolationsAsync"/>).
/// </summary>
public static class RandomFaults
{
    public enum Fault
    {
        Crash,
        FreezePastToken,
        ShortFreeze,
        Standby,
        CutLink,
        KillMysqld,
    }

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>Applies one random fault and returns what it did once the cluster has settled again.</summary>
    public static async Task<string> RunOneAsync(Testbed bed, Random random, CancellationToken cancellationToken)
    {
        var active = await bed.WaitForPlacementAsync(Limit, cancellationToken);
        var faults = Enum.GetValues<Fault>();
        var fault = faults[random.Next(faults.Length)];
        var target = random.Next(2) == 0 ? active : Other(active);
        var other = Other(target);
        switch (fault)
        {
            case Fault.Crash:
                await bed.CrashAsync(target, cancellationToken);
                await WaitUntilFencedAsync(bed, target, other, cancellationToken);
                await bed.BootAndSettleAsync(target, other, Limit, cancellationToken);
                break;
            case Fault.FreezePastToken:
                // Past token and long enough for the fence to come first (even after a priority-fencing-delay).
                await bed.FreezeAsync(target, TimeSpan.FromMilliseconds(bed.TokenMs) + TimeSpan.FromSeconds(8), cancellationToken);
                await bed.WaitUntilAsync(() => bed.Power(target) == "off", Limit, $"{target} fenced", cancellationToken);
                await bed.BootAndSettleAsync(target, other, Limit, cancellationToken);
                break;
            case Fault.ShortFreeze:
                // Well under token: a pause, which must lose no write (a loaded machine may stretch it past token,
                // and then the node is fenced like any other).
                await bed.FreezeAsync(target, TimeSpan.FromMilliseconds(bed.TokenMs / 10), cancellationToken);
                await bed.WaitUntilAsync(() => !File.Exists(bed.NodeFile(target, "frozen")), Limit, $"{target} thawed", cancellationToken);
                break;
            case Fault.Standby:
                await bed.Admin(target).StandbyAsync(new StandbyRequest { Node = target, On = true }, cancellationToken: cancellationToken);
                await bed.WaitUntilAsync(async () => (await bed.StatusAsync(other, cancellationToken)).Nodes.Any(n => n.Name == target && n.Standby),
                    Limit, $"{target} in standby", cancellationToken);
                await bed.WaitUntilAsync(async () => await bed.WaitForPlacementAsync(Limit, cancellationToken) == other, Limit, $"the service on {other}", cancellationToken);
                await bed.Admin(other).StandbyAsync(new StandbyRequest { Node = target, On = false }, cancellationToken: cancellationToken);
                await bed.WaitUntilAsync(async () => (await bed.StatusAsync(other, cancellationToken)).Nodes.Any(n => n.Name == target && !n.Standby),
                    Limit, $"{target} online", cancellationToken);
                break;
            case Fault.CutLink:
                // One of the two is fenced: priority-fencing-delay makes it the node without the Promoted instance.
                await bed.CutLinkAsync(target, cancellationToken);
                await bed.WaitUntilAsync(() => bed.Power("hadb01") == "off" || bed.Power("hadb02") == "off", Limit, "one node fenced after the cut", cancellationToken);
                await bed.HealAsync(cancellationToken);
                var fenced = bed.Power("hadb01") == "off" ? "hadb01" : "hadb02";
                await bed.BootAndSettleAsync(fenced, Other(fenced), Limit, cancellationToken);
                target = fenced;
                break;
            case Fault.KillMysqld:
                target = active;
                var pid = await bed.KillMysqldAsync(active, cancellationToken);
                await bed.WaitUntilAsync(() => !Directory.Exists($"/proc/{pid}"), Limit, $"mysqld (pid {pid}) gone", cancellationToken);
                await bed.WaitForPlacementAsync(Limit, cancellationToken);
                // Forget the failure, as an operator would after looking at it: the next kill restarts in place again.
                await bed.Admin(active).CleanupAsync(new CleanupRequest { Resource = Testbed.Mysqld }, cancellationToken: cancellationToken);
                break;
        }

        // A node the fault left off (a short freeze stretched past token on a loaded machine) comes back first.
        foreach (var node in Testbed.Nodes.Where(n => bed.Power(n) == "off"))
        {
            await bed.BootAndSettleAsync(node, Other(node), Limit, cancellationToken);
        }

        var now = await bed.WaitForPlacementAsync(Limit, cancellationToken);
        return $"{fault} {target} (active {active} -> {now})";
    }

    private static string Other(string node) => Testbed.PeerOf(node);

    /// <summary>Until <paramref name="observer"/> shows <paramref name="node"/> offline and no longer unclean: fenced.</summary>
    private static Task WaitUntilFencedAsync(Testbed bed, string node, string observer, CancellationToken cancellationToken) =>
        bed.WaitUntilAsync(async () => (await bed.StatusAsync(observer, cancellationToken)).Nodes.FirstOrDefault(n => n.Name == node) is { Online: false, Unclean: false },
            Limit, $"{observer} sees {node} fenced", cancellationToken);
}
