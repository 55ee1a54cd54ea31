using ClusterD.ResourceManager.Status;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>
/// Azure host maintenance in the whole two-node cluster (token 1000 ms): a freeze of the active node's VM
/// that was announced as a Scheduled Event is ridden out (no fence, no failover); the same freeze
/// unannounced, or lasting past the announced window, gets the node fenced as a lost node.
/// </summary>
public sealed class ScheduledEventsSimulationTests
{
    private static readonly TimeSpan Freeze = TimeSpan.FromSeconds(8);

    private static (WholeClusterSim Sim, int Active) Converged(int seed)
    {
        var sim = new WholeClusterSim(seed);
        sim.PowerOnAll();
        Assert.True(sim.RunUntil(TimeSpan.FromSeconds(90), sim.Converged), Describe(sim));
        var active = sim.Hosts.Single(h => h.Resources.GetValueOrDefault(SimShape.Drbd) == InstanceRole.Promoted).Index;
        return (sim, active);
    }

    private static string Describe(WholeClusterSim sim) => $"seed {sim.Seed}\n{sim.DescribeHosts()}\n{string.Join('\n', sim.Trace.TakeLast(80))}";

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void AnnouncedFreeze_OfTheActiveNode_IsRiddenOutWithoutFenceOrFailover(int seed)
    {
        var (sim, active) = Converged(seed);
        var at = sim.Now + TimeSpan.FromSeconds(5);
        sim.AnnounceFreeze(active, at, TimeSpan.FromSeconds(9));
        sim.FreezeAt(active, at, Freeze);

        sim.RunUntil(at + Freeze + TimeSpan.FromSeconds(20));

        Assert.Empty(sim.Violations);
        Assert.True(sim.FencedNodes.Count == 0, Describe(sim));
        Assert.True(sim.RunUntil(sim.Now + TimeSpan.FromSeconds(60), sim.Converged), Describe(sim));
        Assert.Equal(InstanceRole.Promoted, sim.Hosts[active].Resources.GetValueOrDefault(SimShape.Drbd));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void UnannouncedFreeze_PastToken_IsFenced(int seed)
    {
        var (sim, active) = Converged(seed);
        var at = sim.Now + TimeSpan.FromSeconds(5);
        sim.FreezeAt(active, at, Freeze);

        Assert.True(sim.RunUntil(at + Freeze + TimeSpan.FromSeconds(20), () => sim.FencedNodes.Count > 0), Describe(sim));

        Assert.Empty(sim.Violations);
        Assert.Equal([sim.Hosts[active].Name], sim.FencedNodes);
    }

    [Fact]
    public void Freeze_LongerThanAnnounced_IsFencedAfterTheWindow()
    {
        var (sim, active) = Converged(11);
        var at = sim.Now + TimeSpan.FromSeconds(5);
        sim.AnnounceFreeze(active, at, TimeSpan.FromSeconds(3));
        sim.FreezeAt(active, at, Freeze);

        Assert.True(sim.RunUntil(at + Freeze + TimeSpan.FromSeconds(20), () => sim.FencedNodes.Count > 0), Describe(sim));

        Assert.Empty(sim.Violations);
        Assert.Equal([sim.Hosts[active].Name], sim.FencedNodes);
        Assert.Contains(sim.Trace, l => l.Contains("lost [" + sim.Hosts[active].Name + "]", StringComparison.Ordinal));
        var lost = sim.Trace.First(l => l.Contains("lost [" + sim.Hosts[active].Name + "]", StringComparison.Ordinal));
        var lostAt = TimeSpan.FromSeconds(double.Parse(lost.AsSpan(0, 9), System.Globalization.CultureInfo.InvariantCulture));
        // Lost when the announced window ends (the trace prints milliseconds), not a token after the freeze began.
        Assert.True(lostAt >= at + TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1), lost);
    }
}
