using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>
/// The two-node fence race in the whole-cluster simulation, decided as the real fencer decides it: by the
/// priority fencing delay, or by the cloud witness's lease (<see cref="SimFenceRace"/>). Partitions are data:
/// which node is active, the seed, and the expected survivor.
/// </summary>
public sealed class FenceRaceSimulationTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    public static TheoryData<int, int> ActiveNodeAndSeed => [.. from active in new[] { 0, 1 } from seed in Enumerable.Range(1, 10) select (active, seed)];

    [Theory]
    [MemberData(nameof(ActiveNodeAndSeed))]
    public void Partition_WithWitness_ExactlyOneSurvivorTheLeaseHolderTheActiveNode(int activeNode, int seed)
    {
        var sim = Settled(seed, SimFenceRace.Witness, activeNode);
        var active = sim.Active!.Name;

        sim.Partition();
        var oneLeft = sim.RunUntil(sim.Now + Settle, () => sim.Hosts.Count(h => h.PoweredOn) == 1 && sim.Active is not null);
        sim.RunUntil(sim.Now + Settle);

        Assert.True(oneLeft && sim.Violations.Count == 0, Describe(sim));
        var survivor = Assert.Single(sim.Hosts, h => h.PoweredOn);
        Assert.True(active == survivor.Name, Describe(sim));
        Assert.Equal([survivor.Name], sim.Witness.Granted.Distinct());
        Assert.Equal(InstanceRole.Promoted, survivor.Resources[SimShape.Drbd]);
        Assert.DoesNotContain(sim.FenceEvents, e => e.Node != survivor.Name && e.Event.Kind == ControllerEventKind.FenceFinished && e.Event.Succeeded == true);
        Assert.Null(sim.Witness.Holder); // released once the victim was off
    }

    [Theory]
    [MemberData(nameof(ActiveNodeAndSeed))]
    public void Partition_WithoutWitness_TheNodeWithThePromotedInstanceSurvivesTheFenceRace(int activeNode, int seed)
    {
        var sim = Settled(seed, SimFenceRace.PriorityDelay, activeNode);
        var active = sim.Active!.Name;

        sim.Partition();
        var oneLeft = sim.RunUntil(sim.Now + Settle, () => sim.Hosts.Count(h => h.PoweredOn) == 1 && sim.Active is not null);
        sim.RunUntil(sim.Now + Settle);

        Assert.True(oneLeft && sim.Violations.Count == 0, Describe(sim));
        Assert.True(active == Assert.Single(sim.Hosts, h => h.PoweredOn).Name, Describe(sim));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WitnessLostWhileBothSeeEachOther_NothingChanges(int seed)
    {
        var sim = Settled(seed, SimFenceRace.Witness, activeNode: 0);
        var active = sim.Active!.Name;

        sim.Witness.Reachable = false;
        var changed = sim.RunUntil(sim.Now + TimeSpan.FromSeconds(120), () => !sim.Converged() || sim.FenceEvents.Count > 0);

        Assert.False(changed, Describe(sim));
        Assert.Empty(sim.Violations);
        Assert.Equal(active, sim.Active!.Name);
        Assert.Empty(sim.Witness.Granted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Partition_WitnessUnreachable_FallsBackToTheDelayAndTheActiveNodeSurvives(int seed)
    {
        var sim = Settled(seed, SimFenceRace.Witness, activeNode: 1);
        var active = sim.Active!.Name;

        sim.Witness.Reachable = false;
        sim.Partition();
        var oneLeft = sim.RunUntil(sim.Now + Settle, () => sim.Hosts.Count(h => h.PoweredOn) == 1 && sim.Active is not null);

        Assert.True(oneLeft && sim.Violations.Count == 0, Describe(sim));
        Assert.Equal(active, Assert.Single(sim.Hosts, h => h.PoweredOn).Name);
        Assert.Contains(sim.FenceEvents, e => e.Event.Action == "witness-fell-back");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ActiveNodeCrashes_WithWitness_SurvivorAsksAfterTheHeadStartOnly(int seed)
    {
        var sim = Settled(seed, SimFenceRace.Witness, activeNode: 0);
        var active = sim.Active!;
        var survivor = sim.Hosts.Single(h => h != active).Name;

        sim.Crash(active);
        var promoted = sim.RunUntil(sim.Now + Settle, () => sim.Active?.Name == survivor);

        Assert.True(promoted && sim.Violations.Count == 0, Describe(sim));
        var requested = sim.FenceEvents.First(e => e.Node == survivor && e.Event.Kind == ControllerEventKind.FenceRequested).At;
        var acquired = sim.FenceEvents.First(e => e.Node == survivor && e.Event.Action == "witness-acquired").At;
        Assert.Equal(requested + sim.WitnessTimings.HeadStart + TimeSpan.FromMilliseconds(20), acquired);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ActiveNodeCrashes_WithoutWitness_SurvivorWaitsTheWholeDelay(int seed)
    {
        var sim = Settled(seed, SimFenceRace.PriorityDelay, activeNode: 0);
        var active = sim.Active!;
        var survivor = sim.Hosts.Single(h => h != active).Name;

        sim.Crash(active);
        var promoted = sim.RunUntil(sim.Now + Settle, () => sim.Active?.Name == survivor);

        Assert.True(promoted && sim.Violations.Count == 0, Describe(sim));
        var requested = sim.FenceEvents.First(e => e.Node == survivor && e.Event.Kind == ControllerEventKind.FenceRequested).At;
        var fenced = sim.FenceEvents.First(e => e.Node == survivor && e.Event.Kind == ControllerEventKind.FenceFinished && e.Event.Succeeded == true).At;
        Assert.True(fenced - requested >= TimeSpan.FromSeconds(15), $"fenced {fenced - requested} after the request");
    }

    /// <summary>A settled cluster whose promoted instance is on <paramref name="activeNode"/>.</summary>
    private static WholeClusterSim Settled(int seed, SimFenceRace race, int activeNode)
    {
        var sim = new WholeClusterSim(seed, SimShape.ConfigWithDefaultDelay()) { FenceRace = race };
        sim.PowerOnAll();
        Assert.True(sim.RunUntil(Settle, sim.Converged), Describe(sim));
        if (sim.Active!.Index != activeNode)
        {
            sim.Switchover();
            Assert.True(sim.RunUntil(sim.Now + Settle, () => sim.Active?.Index == activeNode && sim.Converged()), Describe(sim));
        }

        // Settled means every node also knows it: a partition in the middle of a transition (a promote whose report
        // is still on its way) is another scenario. Both replicas must show the promoted instance where it runs.
        Assert.True(sim.RunUntil(sim.Now + Settle, () => sim.Converged() && sim.ReplicasShowActive()), Describe(sim));
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(5));
        Assert.True(sim.Converged() && sim.ReplicasShowActive(), Describe(sim));
        return sim;
    }

    private static string Describe(WholeClusterSim sim) =>
        $"seed {sim.Seed}\n{sim.DescribeHosts()}\n{string.Join("\n", sim.Violations)}\n{string.Join("\n", sim.Trace.TakeLast(120))}";
}
