using ClusterD.TestKit.Processes;
using ClusterD.TestKit.Resources;

namespace ClusterD.Integration.Tests.Controller;

/// <summary>Two real daemons running the seed's resource shape with Dummy and Stateful agents and a fence device that kills its victim.</summary>
public sealed class RunningClusterProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    internal static readonly string Configuration = ResourceBed.SeedShapeCrm(monitors: SeedShape.QuickMonitors);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>node1 is the DC (lowest id); the location puts the promoted instance on the DC, or on the other node.</summary>
    [Theory]
    [InlineData("node1")]
    [InlineData("node2")]
    public async Task ColdStart_ThenKillOfThePromotedNode_FencesItAndFailsOver(string promotedOn)
    {
        await using var bed = new ResourceBed(Configuration + $"\nlocation promoted_on ms_drbd_mysql role=Promoted 50: {promotedOn}\n");
        bed.StartAll();

        int? active = null;
        Assert.True(await bed.WaitUntilAsync(() => (active = Active(bed)) is not null && bed.RoleOn(1 - active.Value, "drbd_mysql") == "Unpromoted", Limit, Ct),
            bed.Describe() + "\n" + bed.Output(0) + "\n" + bed.Output(1));
        var survivor = 1 - active!.Value;
        Assert.Equal(promotedOn, bed.Cluster.Names[active.Value]);
        Assert.Null(bed.RoleOn(survivor, "mysqld"));

        bed.Cluster[active.Value].Signal(Signals.SigKill);

        Assert.True(await bed.WaitUntilAsync(() => Active(bed) == survivor, Limit, Ct), bed.Describe() + "\n" + bed.Output(survivor));
        Assert.Equal([bed.Cluster.Names[active.Value]], bed.Fenced);
    }

    [Fact]
    public async Task KillOfTheDcThatHoldsNothingPromoted_NewDcTakesOverAndRestartsNothingHealthy()
    {
        await using var bed = new ResourceBed(Configuration + "\nlocation promoted_on ms_drbd_mysql role=Promoted 50: node2\n");
        bed.StartAll();
        Assert.True(await bed.WaitUntilAsync(() => Active(bed) == 1 && bed.RoleOn(0, "drbd_mysql") == "Unpromoted", Limit, Ct), bed.Describe());
        var group = new[] { "fs_mysql", "mysqld", "probe_port" }.ToDictionary(r => r, r => File.GetLastWriteTimeUtc(Path.Combine(bed.AgentDir(1), $"Dummy-{r}.state")));
        var drbd = File.GetLastWriteTimeUtc(Path.Combine(bed.AgentDir(1), "Stateful-drbd_mysql.state"));

        bed.Cluster[0].Signal(Signals.SigKill); // node1: the DC

        // node2 becomes DC, rebuilds the status from the histories, fences node1, and touches nothing healthy.
        Assert.True(await bed.WaitUntilAsync(() => bed.Fenced.Count == 1, Limit, Ct), bed.Describe());
        var status = await bed.Cluster[1].WaitForAsync(s => s.Dc == "node2" && s.PendingActions.Count == 0 && s.Nodes.Single(n => n.Name == "node1").Unclean == false, Limit, Ct);
        Assert.Equal(["node1"], bed.Fenced);
        Assert.Equal(1, Active(bed));
        Assert.All(group, g => Assert.Equal(g.Value, File.GetLastWriteTimeUtc(Path.Combine(bed.AgentDir(1), $"Dummy-{g.Key}.state"))));
        Assert.Equal(drbd, File.GetLastWriteTimeUtc(Path.Combine(bed.AgentDir(1), "Stateful-drbd_mysql.state")));
        Assert.DoesNotContain(status.FailedActions, f => f.Node == "node2");
    }

    [Fact]
    public async Task CleanStopOfTheActiveNode_MovesEverythingWithoutFencing()
    {
        await using var bed = new ResourceBed(Configuration);
        bed.StartAll();
        int? active = null;
        Assert.True(await bed.WaitUntilAsync(() => (active = Active(bed)) is not null && bed.RoleOn(1 - active.Value, "drbd_mysql") == "Unpromoted", Limit, Ct), bed.Describe());
        var survivor = 1 - active!.Value;

        bed.Cluster[active.Value].Signal(Signals.SigTerm);

        Assert.True(await bed.WaitUntilAsync(() => Active(bed) == survivor, Limit, Ct), bed.Describe() + "\n" + bed.Output(active.Value));
        Assert.True(0 == await bed.Cluster[active.Value].WaitForExitAsync(Limit), bed.Output(active.Value));
        Assert.Empty(bed.Fenced);

        // It stopped its own resources before it left: nothing of it runs.
        Assert.All(new[] { "drbd_mysql", "fs_mysql", "mysqld", "probe_port" }, r => Assert.Null(bed.RoleOn(active.Value, r)));
    }

    [Fact]
    public async Task MonitorFailure_RestartsInPlace_ThenMovesAfterMigrationThreshold()
    {
        await using var bed = new ResourceBed(Configuration);
        bed.StartAll();
        int? active = null;
        Assert.True(await bed.WaitUntilAsync(() => (active = Active(bed)) is not null && bed.RoleOn(1 - active.Value, "drbd_mysql") == "Unpromoted", Limit, Ct), bed.Describe());
        var mysqld = Path.Combine(bed.AgentDir(active!.Value), "Dummy-mysqld.state");

        // mysqld dies behind the cluster's back: its monitor finds it stopped, it is restarted where it was.
        File.Delete(mysqld);
        Assert.True(await bed.WaitUntilAsync(() => File.Exists(mysqld) && Active(bed) == active, Limit, Ct), bed.Describe());

        // Again: the second failure reaches migration-threshold=2 and everything moves to the other node.
        File.Delete(mysqld);
        Assert.True(await bed.WaitUntilAsync(() => Active(bed) == 1 - active.Value, Limit, Ct), bed.Describe() + "\n" + bed.Output(active.Value));
        Assert.Empty(bed.Fenced);
    }

    internal static int? Active(ResourceBed bed) => bed.Active();
}
