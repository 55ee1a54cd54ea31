using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Tests.Simulation;

/// <summary><c>clusterctl fence NODE</c> in a simulated two-node cluster of the seed's shape.</summary>
public sealed class AdminFenceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static bool Settled(SimControllerCluster sim) =>
        sim.Promoted.Count() == 1 && sim.Running.All(n => !n.Core!.Status().Resources.IsEmpty)
        && sim.Nodes.Values.Count(n => n.Resources.ContainsKey("drbd_mysql")) == 2;

    [Fact]
    public void FenceNode_Peer_IsFencedAndItsResourcesStayWithTheSurvivor()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => Settled(sim), Limit));
        var (active, _) = Assert.Single(sim.Promoted);
        var passive = active == "hadb01" ? "hadb02" : "hadb01";

        sim.Admin(active, new FenceNode(passive));

        Assert.Equal(AdminOutcome.Ok($"fencing {passive} requested from {active}"), sim.Replies[^1]);
        Assert.True(sim.RunUntil(() => sim.Fenced.Contains(passive), Limit));
        Assert.Null(sim.Nodes[passive].Core);
        Assert.Equal(InstanceRole.Promoted, sim.RoleOf(active, "drbd_mysql"));
    }

    [Fact]
    public void FenceNode_Itself_IsRefusedAndNothingIsFenced()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => Settled(sim), Limit));

        sim.Admin("hadb01", new FenceNode("hadb01"));
        sim.Admin("hadb01", new FenceNode("hadb09"));
        sim.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(
            [new AdminOutcome(AdminOutcomeCode.FailedPrecondition, "hadb01 does not fence itself: run 'clusterctl fence hadb01' on another node"),
             new AdminOutcome(AdminOutcomeCode.NotFound, "no node 'hadb09' in the cluster (nodes: hadb01, hadb02)")],
            sim.Replies[^2..]);
        Assert.Empty(sim.Fenced);
    }
}
