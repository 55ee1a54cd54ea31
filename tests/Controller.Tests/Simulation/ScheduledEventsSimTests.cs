using System.Collections.Immutable;
using ClusterD.Controller.Core;
using ClusterD.Fencing.Azure;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Tests.Simulation;

/// <summary>Azure Scheduled Events in a simulated two-node cluster of the seed's shape (VM names are the node names).</summary>
public sealed class ScheduledEventsSimTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static SimControllerCluster Cluster(string crm)
    {
        var sim = new SimControllerCluster(SeedShape.Config(crm), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => sim.SeedShapeSettled(), Limit), sim.DescribeEvents());
        return sim;
    }

    private static ScheduledEventsInput Announce(params ScheduledEvent[] events) => new([.. events]);

    [Fact]
    public void Reboot_OfThePromotedNode_SwitchesOverFirstThenAcknowledges()
    {
        var sim = Cluster(SeedShape.Crm);
        var (active, _) = sim.Promoted.Single();
        var other = active == "hadb01" ? "hadb02" : "hadb01";
        var reboot = new ScheduledEvent("ev-reboot", ScheduledEventType.Reboot, [active], false, sim.Now + TimeSpan.FromMinutes(15), null, "");

        sim.Input(active, Announce(reboot));
        sim.Input(other, Announce(reboot));

        Assert.True(sim.RunUntil(() => sim.PlatformEffects.Any(p => p.Effect is AcknowledgeScheduledEvent), Limit), sim.DescribeEvents());
        var (ackedAt, ackedBy, ack) = Assert.Single(sim.PlatformEffects, p => p.Effect is AcknowledgeScheduledEvent);
        Assert.Equal((active, new AcknowledgeScheduledEvent("ev-reboot")), (ackedBy, ack));

        // When it is acknowledged, the promoted instance and the group already run on the other node.
        Assert.Equal(InstanceRole.Promoted, sim.RoleOf(other, "drbd_mysql"));
        Assert.Equal(InstanceRole.Started, sim.RoleOf(other, "probe_port"));
        Assert.NotEqual(InstanceRole.Promoted, sim.RoleOf(active, "drbd_mysql"));
        var promoted = sim.Events.Last(e => e.Kind == ControllerEventKind.ActionFinished && e.Action == $"promote:drbd_mysql@{other}" && e.Succeeded == true);
        Assert.True(promoted.Time <= ackedAt);
        Assert.Contains(sim.Events, e => e.Kind == ControllerEventKind.ScheduledEvent && e.Message.Contains($"switching ms_drbd_mysql over to {other}", StringComparison.Ordinal));
        Assert.Contains(sim.Events, e => e.Kind == ControllerEventKind.ScheduledEvent && e.Message == $"Reboot ev-reboot of {active} acknowledged: the promoted instances moved away");
        var state = Assert.Single(sim.Nodes[active].Core!.ScheduledEvents);
        Assert.True(state.Acknowledged);
        Assert.Equal([active], state.Nodes);

        // The peer only notes it: its own node moves its resources.
        Assert.Equal("about a peer: its own node moves its resources", Assert.Single(sim.Nodes[other].Core!.ScheduledEvents).Decision);
    }

    [Fact]
    public void Reboot_OfTheNodeWithoutThePromotedInstance_AcknowledgedAtOnce()
    {
        var sim = Cluster(SeedShape.Crm);
        var (active, _) = sim.Promoted.Single();
        var other = active == "hadb01" ? "hadb02" : "hadb01";

        sim.Input(other, Announce(new ScheduledEvent("ev-2", ScheduledEventType.Redeploy, [other], false, sim.Now + TimeSpan.FromMinutes(10), null, "")));

        Assert.Equal((other, new AcknowledgeScheduledEvent("ev-2")), (sim.PlatformEffects.Single().Node, sim.PlatformEffects.Single().Effect));
        Assert.Equal(active, sim.Promoted.Single().Node);
    }

    [Fact]
    public void Reboot_SwitchoverImpossible_AcknowledgedAtNotBeforeExactly()
    {
        var sim = Cluster(SeedShape.Crm);
        var (active, _) = sim.Promoted.Single();
        var other = active == "hadb01" ? "hadb02" : "hadb01";
        sim.Admin(other, new SetStandby(other, true));
        Assert.True(sim.RunUntil(() => !sim.Nodes[other].Resources.ContainsKey("drbd_mysql"), Limit), sim.DescribeEvents());
        var notBefore = sim.Now + TimeSpan.FromSeconds(30);

        sim.Input(active, Announce(new ScheduledEvent("ev-3", ScheduledEventType.Reboot, [active], false, notBefore, null, "")));
        sim.RunFor(notBefore - TimeSpan.FromTicks(1) - sim.Now);
        Assert.Empty(sim.PlatformEffects);
        Assert.Contains(sim.Events, e => e.Kind == ControllerEventKind.Warning && e.Message.Contains("switchover refused", StringComparison.Ordinal));

        sim.RunFor(TimeSpan.FromTicks(1));
        var (at, _, ack) = Assert.Single(sim.PlatformEffects);
        Assert.Equal((notBefore, new AcknowledgeScheduledEvent("ev-3")), (at, ack));
    }

    [Fact]
    public void Freeze_OfThePeer_CoversItForTheAnnouncedWindowOnly()
    {
        var sim = Cluster(SeedShape.Crm);
        var notBefore = sim.Now + TimeSpan.FromMinutes(15);
        var freeze = new ScheduledEvent("ev-f", ScheduledEventType.Freeze, ["hadb02"], false, notBefore, TimeSpan.FromSeconds(9), "");

        sim.Input("hadb01", Announce(freeze));
        sim.Input("hadb02", Announce(freeze));

        var covers = Assert.IsType<SetDetectionCovers>(Assert.Single(sim.PlatformEffects).Effect);
        Assert.Equal([new DetectionWindow("hadb02", notBefore, notBefore + TimeSpan.FromSeconds(9), "ev-f")], covers.Covers);
        Assert.Equal("hadb01", sim.PlatformEffects.Single().Node);

        // Started later than NotBefore: the window runs the announced 9 s from when it was seen started.
        sim.RunFor(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(5));
        var started = sim.Now;
        sim.Input("hadb01", Announce(freeze with { Started = true, NotBefore = null }));
        Assert.Equal([new DetectionWindow("hadb02", notBefore, started + TimeSpan.FromSeconds(9), "ev-f")], ((SetDetectionCovers)sim.PlatformEffects[^1].Effect).Covers);

        // Over: no cover any more.
        sim.Input("hadb01", Announce());
        Assert.Empty(((SetDetectionCovers)sim.PlatformEffects[^1].Effect).Covers);
    }

    [Fact]
    public void Freeze_LongOrUnknownDuration_Bounded()
    {
        var sim = Cluster(SeedShape.Crm);
        var at = sim.Now + TimeSpan.FromMinutes(15);

        sim.Input("hadb01", Announce(
            new ScheduledEvent("long", ScheduledEventType.Freeze, ["hadb02"], false, at, TimeSpan.FromMinutes(10), ""),
            new ScheduledEvent("unknown", ScheduledEventType.Freeze, ["hadb02"], false, at + TimeSpan.FromHours(1), null, "")));

        var covers = ((SetDetectionCovers)sim.PlatformEffects[^1].Effect).Covers;
        Assert.Equal(at + ControllerCore.MaxFreezeCover, covers[0].Until);
        Assert.Equal(at + TimeSpan.FromHours(1) + ControllerCore.DefaultFreezeCover, covers[1].Until);
    }

    [Fact]
    public void Events_ForOtherVms_AreIgnored()
    {
        var sim = Cluster(SeedShape.Crm);

        sim.Input("hadb01", Announce(new ScheduledEvent("x", ScheduledEventType.Reboot, ["some-other-vm"], false, sim.Now + TimeSpan.FromMinutes(5), null, "")));

        Assert.Empty(sim.PlatformEffects);
        Assert.Equal("not about a cluster node: ignored", Assert.Single(sim.Nodes["hadb01"].Core!.ScheduledEvents).Decision);
    }

    [Fact]
    public void HostMap_MapsVmNamesToNodes()
    {
        var crm = SeedShape.Crm.Replace("pcmk_host_list=\"hadb01 hadb02\"", "pcmk_host_map=\"hadb01:vm-a;hadb02:vm-b\"", StringComparison.Ordinal);
        var sim = Cluster(crm);

        sim.Input("hadb01", Announce(new ScheduledEvent("f", ScheduledEventType.Freeze, ["VM-B"], false, sim.Now + TimeSpan.FromMinutes(5), null, "")));

        Assert.Equal("hadb02", ((SetDetectionCovers)sim.PlatformEffects.Single().Effect).Covers.Single().Node);
    }
}
