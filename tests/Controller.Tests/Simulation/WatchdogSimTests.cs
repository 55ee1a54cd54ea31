using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Tests.Simulation;

/// <summary>
/// Watchdog self-fencing in a simulated three-node cluster with no fence device: every node arms its watchdog
/// (5 s) while it holds resources and feeds it from the controller's loop; a lost node counts as fenced once
/// <c>stonith-watchdog-timeout</c> (10 s) has passed, and not one tick earlier.
/// </summary>
public sealed class WatchdogSimTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan WatchdogTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StonithWatchdogTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Never opened: the simulation has no shell (the cores only name the device in their effects).</summary>
    private const string SimDevice = "/nonexistent/sim-watchdog";

    private static readonly string[] Names = ["hadb01", "hadb02", "hadb03"];

    private static SimControllerCluster Cluster()
    {
        var crm = TestKit.Resources.SeedShape.Crm(nodes: string.Join(' ', Names));
        crm = string.Join('\n', crm.Split('\n').Where(l => !l.StartsWith("primitive fence_test", StringComparison.Ordinal)))
            + "\nproperty stonith-watchdog-timeout=10s";
        var options = new ControllerOptions { Watchdog = new WatchdogSettings(SimDevice, WatchdogTimeout) };
        var sim = new SimControllerCluster(SeedShape.Config(crm), options, Names);
        sim.StartAll();
        Assert.True(sim.RunUntil(() => sim.SeedShapeSettled(), Limit), sim.DescribeEvents());
        return sim;
    }

    [Fact]
    public void Holding_ArmedAndFedEveryQuarterTimeout_NodesHoldingNothingNeverArm()
    {
        var sim = Cluster();
        sim.RunFor(TimeSpan.FromSeconds(20));

        var holding = Names.Where(n => sim.Nodes[n].Resources.Count > 0).ToList();
        Assert.Equal(2, holding.Count);
        var idle = Assert.Single(Names.Except(holding));
        Assert.DoesNotContain(sim.WatchdogEffects, w => w.Node == idle);
        foreach (var node in holding)
        {
            var effects = sim.WatchdogEffects.Where(w => w.Node == node).ToList();
            Assert.IsType<ArmWatchdog>(Assert.Single(effects, w => w.Effect is ArmWatchdog).Effect);
            var feeds = effects.Where(w => w.Effect is FeedWatchdog).Select(w => w.At).ToList();
            Assert.True(feeds.Count >= 15, $"{node}: {feeds.Count} feeds");
            Assert.All(feeds.Zip(feeds.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(1.25), pair.Second - pair.First));
        }
    }

    [Fact]
    public void Standby_ResourcesMovedAway_DisarmedWithTheMagicClose()
    {
        var sim = Cluster();
        var (active, _) = sim.Promoted.Single();

        sim.Admin(active, new SetStandby(active, On: true));

        Assert.True(sim.RunUntil(() => sim.Nodes[active].Resources.Count == 0 && sim.SeedShapeSettled(), Limit), sim.DescribeEvents());
        sim.RunFor(TimeSpan.FromSeconds(1));
        var last = sim.WatchdogEffects.Last(w => w.Node == active);
        Assert.IsType<DisarmWatchdog>(last.Effect);
        Assert.Null(sim.Nodes[active].Core!.NextWake is { } wake && wake < sim.Now + TimeSpan.FromSeconds(2) ? wake : null);
    }

    [Fact]
    public void CrashedNode_FencedExactlyWhenStonithWatchdogTimeoutPassed_ThenRecovered()
    {
        var sim = Cluster();
        var (active, _) = sim.Promoted.Single();
        var dc = Names.First(n => n != active);

        sim.Crash(active);
        Assert.True(sim.RunUntil(() => sim.Events.Any(e => e.Kind == ControllerEventKind.FenceRequested && e.Node == active), Limit), sim.DescribeEvents());
        var requested = sim.Events.First(e => e.Kind == ControllerEventKind.FenceRequested && e.Node == active).Time;

        sim.RunFor(requested + StonithWatchdogTimeout - Tick - sim.Now);
        sim.Poke(dc);
        Assert.DoesNotContain(sim.Events, e => e.Kind == ControllerEventKind.FenceFinished);
        Assert.Contains(active, sim.Nodes[dc].Core!.Unclean);
        Assert.Empty(sim.Promoted);

        sim.RunFor(Tick);
        var fenced = Assert.Single(sim.Events, e => e.Kind == ControllerEventKind.FenceFinished);
        Assert.True(fenced.Succeeded);
        Assert.Equal(requested + StonithWatchdogTimeout, fenced.Time);
        Assert.DoesNotContain(active, sim.Nodes[dc].Core!.Unclean);
        Assert.True(sim.RunUntil(() => sim.Events.Any(e => e.Kind == ControllerEventKind.FailoverCompleted), Limit), sim.DescribeEvents());
        Assert.NotEqual(active, sim.Promoted.Single().Node);
    }

    [Fact]
    public void IsolatedNode_StopsFeedingAtQuorumLoss_ResetsBeforeThePeersTakeItAsFenced()
    {
        var sim = Cluster();
        var (active, _) = sim.Promoted.Single();
        sim.RunFor(TimeSpan.FromSeconds(3));
        var cut = sim.Now;

        sim.Isolate(active);
        Assert.True(sim.RunUntil(() => sim.Events.Any(e => e.Kind == ControllerEventKind.FenceFinished && e.Node == active), Limit), sim.DescribeEvents());
        var takenAsReset = sim.Events.First(e => e.Kind == ControllerEventKind.FenceFinished && e.Node == active).Time;

        // The isolated node fed its watchdog for the last time before the cut, and never after: its watchdog
        // fires at most 5 s after that feed, well before the peers count it as reset (10 s after they asked).
        var lastFeed = sim.WatchdogEffects.Last(w => w.Node == active && w.Effect is FeedWatchdog).At;
        Assert.True(lastFeed <= cut);
        Assert.DoesNotContain(sim.WatchdogEffects, w => w.Node == active && w.At > cut);
        Assert.True(lastFeed + WatchdogTimeout < takenAsReset, $"reset by {lastFeed + WatchdogTimeout:O}, taken as reset at {takenAsReset:O}");
        Assert.Contains(sim.Events, e => e.Kind == ControllerEventKind.Watchdog && e.Message.Contains("no longer fed", StringComparison.Ordinal));
        Assert.EndsWith("has no quorum and no-quorum-policy is stop", sim.Nodes[active].Core!.Watchdog!.Starving, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoNodeQuorum_LostNodeIsNotTakenAsFenced()
    {
        var crm = TestKit.Resources.SeedShape.Crm(nodes: "hadb01 hadb02");
        crm = string.Join('\n', crm.Split('\n').Where(l => !l.StartsWith("primitive fence_test", StringComparison.Ordinal)))
            + "\nproperty stonith-watchdog-timeout=10s";
        var options = new ControllerOptions { Watchdog = new WatchdogSettings(SimDevice, WatchdogTimeout), TwoNodeQuorum = true };
        var sim = new SimControllerCluster(SeedShape.Config(crm), options, "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => sim.SeedShapeSettled(), Limit), sim.DescribeEvents());
        var (active, _) = sim.Promoted.Single();
        var survivor = active == "hadb01" ? "hadb02" : "hadb01";

        sim.Crash(active);
        sim.RunFor(TimeSpan.FromSeconds(30));

        Assert.Contains(active, sim.Nodes[survivor].Core!.Unclean);
        Assert.Empty(sim.Promoted);
        Assert.Contains(sim.Events, e => e.Kind == ControllerEventKind.FenceFinished && e.Succeeded == false && e.Message.Contains("two_node", StringComparison.Ordinal));
        Assert.Contains(sim.Nodes[survivor].Core!.Warnings, w => w.Contains("two_node", StringComparison.Ordinal));
    }
}
