using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Tests.Simulation;

public sealed class ControllerClusterTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void ColdStart_TwoNodes_PromotesOneAndStartsTheGroupThere()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();

        Assert.True(sim.RunUntil(() => Settled(sim), Limit), Describe(sim));
        var promoted = Assert.Single(sim.Promoted);
        Assert.Equal("drbd_mysql", promoted.Resource);
        foreach (var member in new[] { "fs_mysql", "mysqld", "probe_port" })
        {
            Assert.Equal(InstanceRole.Started, sim.RoleOf(promoted.Node, member));
        }

        var other = promoted.Node == "hadb01" ? "hadb02" : "hadb01";
        Assert.Equal(InstanceRole.Unpromoted, sim.RoleOf(other, "drbd_mysql"));
        Assert.Equal(InstanceRole.Stopped, sim.RoleOf(other, "mysqld"));
    }

    [Fact]
    public void CrashOfPromotedNode_FencesThenFailsOverToTheSurvivor()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => Settled(sim), Limit), Describe(sim));
        var (active, _) = Assert.Single(sim.Promoted);
        var survivor = active == "hadb01" ? "hadb02" : "hadb01";

        sim.Crash(active);

        Assert.True(sim.RunUntil(() => sim.Events.Any(e => e.Kind == ControllerEventKind.FailoverCompleted), Limit), Describe(sim));
        Assert.Equal([active], sim.Fenced);
        Assert.Equal(InstanceRole.Promoted, sim.RoleOf(survivor, "drbd_mysql"));
        Assert.Equal(InstanceRole.Started, sim.RoleOf(survivor, "probe_port"));

        // The promote waited for the fence: nothing of the lost node's was recovered before it was fenced.
        var fenced = sim.Events.First(e => e.Kind == ControllerEventKind.FenceFinished && e.Succeeded == true);
        var promote = sim.Events.First(e => e.Kind == ControllerEventKind.ActionRequested && e.Action == $"promote:drbd_mysql@{survivor}");
        Assert.True(promote.Time >= fenced.Time && sim.Events.IndexOf(promote) > sim.Events.IndexOf(fenced));
    }

    [Fact]
    public void Cleanup_NoFailCounts_ProbesAgainAndMonitorsStillCatchADeath()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => Settled(sim), Limit), Describe(sim));
        var (active, _) = Assert.Single(sim.Promoted);
        var calls = sim.Nodes[active].Calls.Count;

        sim.Admin(active, new CleanupResource(null, null));
        sim.RunFor(TimeSpan.FromSeconds(1));

        // The cleanup forgot every operation and stopped the monitors: the DC probes again...
        Assert.Contains("Monitor:mysqld", sim.Nodes[active].Calls.Skip(calls));

        // ...and re-establishes the monitors, so a process that dies afterwards is noticed and restarted.
        sim.Nodes[active].Resources.Remove("mysqld");
        Assert.True(sim.RunUntil(() => sim.RoleOf(active, "mysqld") == InstanceRole.Started, Limit), Describe(sim));
    }

    private static bool Settled(SimControllerCluster sim) =>
        sim.Promoted.Count() == 1 && sim.Running.All(n => !n.Core!.Status().Resources.IsEmpty)
        && sim.Nodes.Values.Any(n => n.Resources.GetValueOrDefault("probe_port") == InstanceRole.Started)
        && sim.Nodes.Values.Count(n => n.Resources.ContainsKey("drbd_mysql")) == 2;

    private static string Describe(SimControllerCluster sim) =>
        string.Join("\n", sim.Events.TakeLast(60).Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}"))
        + "\n" + string.Join("\n", sim.Nodes.Values.Select(n => $"{n.Name}: {string.Join(", ", n.Resources.Select(r => $"{r.Key}={r.Value}"))}"));
}
