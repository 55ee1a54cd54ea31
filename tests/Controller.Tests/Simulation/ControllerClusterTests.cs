using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
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

    [Fact]
    public void FailedFence_BlocksRecoveryAndIsRetried_UntilItSucceeds()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => Settled(sim), Limit), Describe(sim));
        var (active, _) = Assert.Single(sim.Promoted);
        var survivor = active == "hadb01" ? "hadb02" : "hadb01";
        sim.FenceFails = true;

        sim.Crash(active);
        sim.RunFor(TimeSpan.FromSeconds(10));

        // Fenced over and over, never recovered: nothing of the lost node's runs on the survivor.
        Assert.True(sim.Events.Count(e => e.Kind == ControllerEventKind.FenceRequested) >= 3, Describe(sim));
        Assert.Equal(InstanceRole.Unpromoted, sim.RoleOf(survivor, "drbd_mysql"));
        Assert.Equal(InstanceRole.Stopped, sim.RoleOf(survivor, "mysqld"));

        sim.FenceFails = false;
        Assert.True(sim.RunUntil(() => sim.RoleOf(survivor, "probe_port") == InstanceRole.Started, Limit), Describe(sim));
        Assert.Equal(InstanceRole.Promoted, sim.RoleOf(survivor, "drbd_mysql"));
    }

    [Fact]
    public void ActionRequest_FromANodeThatIsNotTheDc_IsRefusedAndNothingRuns()
    {
        var core = new ControllerCore("hadb02", ["hadb01", "hadb02"], SeedShape.Config());
        var now = DateTimeOffset.UnixEpoch;
        core.Handle(new ViewInput(5, "1.5", ["hadb01", "hadb02"], ["hadb01", "hadb02"], [], [], Quorate: true, Dc: "hadb01"), now);
        var call = ClusterD.ResourceManager.Execution.AgentCall.For(SeedShape.Config(),
            new ClusterD.ResourceManager.Scheduling.TransitionAction(ClusterD.ResourceManager.Scheduling.TransitionOp.Start, "mysqld", "hadb02"), out _)!;

        // hadb02 believes itself DC of a one-node view, or the right DC asks for another ring: refused.
        var fromSelfAppointed = core.Handle(new MessageInput("hadb01", new ActionRequest(1, "start:mysqld@hadb02", call, ClusterD.ResourceManager.Scheduling.TransitionOp.Start, null, false, 4)), now);
        var fromStranger = core.Handle(new MessageInput("hadb03", new ActionRequest(1, "start:mysqld@hadb02", call, ClusterD.ResourceManager.Scheduling.TransitionOp.Start, null, false, 5)), now);

        Assert.DoesNotContain(fromSelfAppointed, e => e is RunAgent);
        var refusal = Assert.Single(fromSelfAppointed.OfType<SendMessage>()).Message as ActionReport;
        Assert.NotNull(refusal);
        Assert.False(refusal.Succeeded);
        Assert.Contains("view 4", refusal.Reason, StringComparison.Ordinal);
        Assert.Empty(fromStranger);

        var fromDc = core.Handle(new MessageInput("hadb01", new ActionRequest(1, "start:mysqld@hadb02", call, ClusterD.ResourceManager.Scheduling.TransitionOp.Start, null, false, 5)), now);
        Assert.Single(fromDc.OfType<RunAgent>());
    }

    [Fact]
    public void UntrustedView_DcDoesNothing_UntilTheViewIsTrusted()
    {
        var core = new ControllerCore("hadb01", ["hadb01", "hadb02"], SeedShape.Config());
        var now = DateTimeOffset.UnixEpoch;

        var untrusted = core.Handle(new ViewInput(7, "1.7", ["hadb01"], [], ["hadb02"], [], Quorate: true, Dc: "hadb01", Trusted: false), now);

        Assert.False(core.IsDc);
        Assert.DoesNotContain(untrusted, e => e is RunAgent or RunFence or SendMessage);
        Assert.DoesNotContain(core.Handle(TickInput.Instance, now + TimeSpan.FromSeconds(30)), e => e is RunAgent or RunFence);

        core.Handle(new ViewInput(7, "1.7", ["hadb01"], [], [], [], Quorate: true, Dc: "hadb01", Trusted: true), now + TimeSpan.FromSeconds(31));
        Assert.True(core.IsDc);
    }

    [Fact]
    public void SessionReset_ProbeResultsLost_DcLearnsThemFromTheNewSessionAtOnce()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => sim.Nodes["hadb02"].Calls.Count > 0, Limit), Describe(sim));

        // hadb02 runs the probes the DC asked for; their reports are lost with the session.
        sim.BreakSession("hadb01", "hadb02");
        sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.False(Settled(sim));
        sim.OpenSession("hadb01", "hadb02");

        // Not at the actions' deadlines (timeout + grace, tens of seconds): at once.
        Assert.True(sim.RunUntil(() => Settled(sim), TimeSpan.FromSeconds(2)), Describe(sim));
    }

    [Fact]
    public void SessionReset_MonitorFailureLost_DcLearnsItFromTheNewSessionAndRecovers()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();
        Assert.True(sim.RunUntil(() => Settled(sim), Limit), Describe(sim));
        Assert.Equal(InstanceRole.Unpromoted, sim.RoleOf("hadb02", "drbd_mysql"));
        var starts = sim.Nodes["hadb02"].Calls.Count(c => c == "Start:drbd_mysql");

        // The Unpromoted instance on hadb02 (not the DC) dies; its monitor's report is lost with the session.
        sim.BreakSession("hadb01", "hadb02");
        sim.Nodes["hadb02"].Resources.Remove("drbd_mysql");
        sim.RunFor(TimeSpan.FromSeconds(35));
        Assert.Equal(InstanceRole.Stopped, sim.RoleOf("hadb02", "drbd_mysql"));
        sim.OpenSession("hadb01", "hadb02");

        Assert.True(sim.RunUntil(() => sim.RoleOf("hadb02", "drbd_mysql") == InstanceRole.Unpromoted, TimeSpan.FromSeconds(2)), Describe(sim));
        Assert.Equal(starts + 1, sim.Nodes["hadb02"].Calls.Count(c => c == "Start:drbd_mysql"));
    }

    [Fact]
    public void ColdStart_CloneWithNotify_EachNodeIsNotifiedAroundTheStartsAndThePromotion()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.StartAll();

        Assert.True(sim.RunUntil(() => Settled(sim), Limit), Describe(sim));
        foreach (var node in new[] { "hadb01", "hadb02" })
        {
            // Both instances start in the first transition (no pre-start: nothing was active), the promotion
            // follows once the agents reported their scores.
            var notified = sim.Nodes[node].Calls.Where(c => c.StartsWith("Notify:", StringComparison.Ordinal)).ToList();
            Assert.Equal(["Notify:drbd_mysql:post-start", "Notify:drbd_mysql:pre-promote", "Notify:drbd_mysql:post-promote"], notified);
        }

        // Notifications leave no operation history and raise nothing.
        Assert.DoesNotContain(sim.Running.First().Core!.Status().Operations, o => o.Operation == "notify");
    }

    [Fact]
    public void FailedNotification_FailsItsTransitionOnly_NoFailCountAndTheClusterSettles()
    {
        var sim = new SimControllerCluster(SeedShape.Config(), "hadb01", "hadb02");
        sim.Nodes["hadb02"].FailNext.Add("notify:drbd_mysql");
        sim.StartAll();

        Assert.True(sim.RunUntil(() => Settled(sim), Limit), Describe(sim));
        Assert.Contains(sim.Events, e => e.Kind == ControllerEventKind.ActionFinished && e.Succeeded == false && e.Action!.StartsWith("notify-", StringComparison.Ordinal));
        Assert.Contains(sim.Events, e => e.Kind == ControllerEventKind.TransitionAborted);
        var status = sim.Running.First().Core!.Status();
        Assert.Empty(status.Failcounts);
        Assert.DoesNotContain(status.Operations, o => o.Operation == "notify");
        Assert.Equal(2, sim.Nodes.Values.Count(n => n.Resources.ContainsKey("drbd_mysql")));
    }

    private static bool Settled(SimControllerCluster sim) =>
        sim.Promoted.Count() == 1 && sim.Running.All(n => !n.Core!.Status().Resources.IsEmpty)
        && sim.Nodes.Values.Any(n => n.Resources.GetValueOrDefault("probe_port") == InstanceRole.Started)
        && sim.Nodes.Values.Count(n => n.Resources.ContainsKey("drbd_mysql")) == 2;

    private static string Describe(SimControllerCluster sim) =>
        string.Join("\n", sim.Events.TakeLast(60).Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}"))
        + "\n" + string.Join("\n", sim.Nodes.Values.Select(n => $"{n.Name}: {string.Join(", ", n.Resources.Select(r => $"{r.Key}={r.Value}"))}"));
}
