using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Execution;

public sealed class StatusRecorderTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly ClusterConfig Config = TransitionExecutorTests.Parse("""
        primitive p ocf:pacemaker:Stateful
        ms ms_p p meta promoted-max=1
        primitive d ocf:pacemaker:Dummy
        """);

    private static readonly ClusterStatus TwoNodes = ClusterStatus.AllOnline(["n1", "n2"]);

    [Fact]
    public void Record_SuccessfulStartsPromoteAndStop_SetTheRolesAndTheOperationHistory()
    {
        var status = Record(TwoNodes,
            Done(TransitionOp.Start, "p", "n1"),
            Done(TransitionOp.Start, "d", "n2"),
            Done(TransitionOp.Promote, "p", "n1"));
        Assert.Equal(InstanceRole.Promoted, status.RoleOf("p", "n1"));
        Assert.Equal(InstanceRole.Started, status.RoleOf("d", "n2"));
        Assert.Equal([1, 2, 3], status.Operations.Select(o => o.CallId));
        Assert.Empty(status.Failcounts);

        status = Record(status, Done(TransitionOp.Demote, "p", "n1"), Done(TransitionOp.Stop, "d", "n2"));
        Assert.Equal(InstanceRole.Unpromoted, status.RoleOf("p", "n1"));
        Assert.Equal(InstanceRole.Stopped, status.RoleOf("d", "n2"));
        Assert.Empty(status.FindResource("d")!.Instances);
        Assert.Equal(5, status.LastOperation("d", "n2", "stop")!.CallId);
    }

    [Fact]
    public void Record_StartOfAPromotableClone_IsUnpromoted_AndAMonitorWithRc8_IsPromoted()
    {
        var status = Record(TwoNodes, Done(TransitionOp.Start, "p", "n2"));
        Assert.Equal(InstanceRole.Unpromoted, status.RoleOf("p", "n2"));

        var monitor = new TransitionAction(TransitionOp.Monitor, "p", "n2", Duration.FromSeconds(29), ResourceRole.Promoted);
        status = Record(status, Executed(monitor, new ActionResult(8)));
        Assert.Equal(InstanceRole.Promoted, status.RoleOf("p", "n2"));
        Assert.Equal(8, status.LastOperation("p", "n2", "monitor", Duration.FromSeconds(29))!.RcCode);
    }

    [Fact]
    public void Record_FailedStart_MarksTheInstanceFailed_AndSetsItsFailcountToInfinity()
    {
        var status = Record(TwoNodes, Executed(new TransitionAction(TransitionOp.Start, "d", "n1"), new ActionResult(1, Reason: "boom")));
        Assert.Equal(InstanceRole.Failed, status.RoleOf("d", "n1"));
        var count = status.FailcountOf("d", "n1");
        Assert.Equal(Score.Infinity, count.Count);
        Assert.Equal(At + TimeSpan.FromMilliseconds(250), count.LastFailure);
        Assert.Equal(1, status.LastOperation("d", "n1", "start")!.RcCode);

        // The scheduler reads it as a failed start: stopped there, the node banned, started elsewhere.
        var graph = Scheduler.Schedule(Config with { Properties = new ClusterProperties(StonithEnabled: false) }, status, null, TestContext.Current.CancellationToken);
        Assert.True(graph.Precedes("stop:d@n1", "start:d@n2"), string.Join(", ", graph.Ordered()));
    }

    [Fact]
    public void Record_FailedMonitorTwice_CountsTwo_AndWithoutStartFailureIsFatal_AStartCountsOne()
    {
        var monitor = new TransitionAction(TransitionOp.Monitor, "d", "n1", Duration.FromSeconds(10));
        var status = Record(Record(TwoNodes, Done(TransitionOp.Start, "d", "n1")), Executed(monitor, new ActionResult(7)), Executed(monitor, new ActionResult(7)));
        Assert.Equal(new Score(2), status.FailcountOf("d", "n1").Count);
        Assert.Equal(InstanceRole.Failed, status.RoleOf("d", "n1"));

        var lenient = Config with { Properties = new ClusterProperties(Other: AttributeMap.Of(("start-failure-is-fatal", "false"))) };
        var started = StatusRecorder.Record(TwoNodes, lenient, Executed(new TransitionAction(TransitionOp.Start, "d", "n2"), new ActionResult(1)));
        Assert.Equal(new Score(1), started.FailcountOf("d", "n2").Count);
    }

    [Fact]
    public void Record_PromotionScoreFromAMonitor_BecomesTheNodesPromotionAttribute()
    {
        var monitor = new TransitionAction(TransitionOp.Monitor, "p", "n1", Duration.FromSeconds(31), ResourceRole.Unpromoted);
        var status = Record(Record(TwoNodes, Done(TransitionOp.Start, "p", "n1")), Executed(monitor, new ActionResult(0, PromotionScore: new Score(10000))));
        Assert.Equal(new Score(10000), status.FindNode("n1")!.PromotionScore("p"));
        Assert.Null(status.FindNode("n2")!.PromotionScore("p"));
    }

    [Fact]
    public void Record_SuccessfulFence_LeavesTheNodeOfflineAndCleanWithNothingRunningAndNoHistory()
    {
        var status = Record(TwoNodes, Done(TransitionOp.Start, "p", "n1"), Done(TransitionOp.Promote, "p", "n1"), Done(TransitionOp.Start, "d", "n1"),
            Executed(new TransitionAction(TransitionOp.Monitor, "p", "n1", Duration.FromSeconds(29), ResourceRole.Promoted), new ActionResult(8, PromotionScore: new Score(10000))),
            Executed(new TransitionAction(TransitionOp.Start, "d", "n2"), new ActionResult(1)));
        status = status with { Nodes = [.. status.Nodes.Select(n => n.Name == "n1" ? n with { Unclean = true } : n)] };

        var failedFence = Record(status, Executed(new TransitionAction(TransitionOp.Fence, "", "n1"), new ActionResult(1)));
        Assert.Equal(status, failedFence);

        var fenced = Record(status, Done(TransitionOp.Fence, "", "n1"));
        Assert.Equal(new NodeStatus("n1", Online: false, Unclean: false), fenced.FindNode("n1"));
        Assert.Equal(InstanceRole.Stopped, fenced.RoleOf("p", "n1"));
        Assert.Equal(InstanceRole.Stopped, fenced.RoleOf("d", "n1"));
        Assert.DoesNotContain(fenced.Operations, o => o.Node == "n1");
        Assert.Equal(InstanceRole.Failed, fenced.RoleOf("d", "n2"));
        Assert.Equal(Score.Infinity, fenced.FailcountOf("d", "n2").Count);
    }

    private static ClusterStatus Record(ClusterStatus status, params ExecutedAction[] executed) =>
        executed.Aggregate(status, (s, e) => StatusRecorder.Record(s, Config, e));

    private static ExecutedAction Done(TransitionOp op, string resource, string node) =>
        Executed(new TransitionAction(op, op == TransitionOp.Fence ? "" : resource, node), ActionResult.Ok);

    private static ExecutedAction Executed(TransitionAction action, ActionResult result) =>
        new(action, result, ActionExpectations.Succeeded(action, result), At, TimeSpan.FromMilliseconds(250));
}
