using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Execution;

public sealed class ProbesTests
{
    private static readonly ClusterConfig Config = TransitionExecutorTests.Parse("""
        primitive a ocf:pacemaker:Dummy
        primitive b ocf:pacemaker:Dummy
        primitive fencing stonith:fence_azure_arm
        """);

    [Fact]
    public void Plan_ProbesEveryPrimitiveWithoutHistoryOnEveryNodeThatIsUp_ButNotFenceDevices()
    {
        var status = new ClusterStatus
        {
            Quorate = true,
            Nodes =
            [
                new NodeStatus("n1", Online: true),
                new NodeStatus("n2", Online: true, Standby: true),
                new NodeStatus("n3", Online: false),
                new NodeStatus("n4", Online: true, Unclean: true),
            ],
            Operations = [new OperationRecord("a", "n1", "start", Duration.Zero, 0, 1)],
        };

        var graph = Probes.Plan(Config, status);

        Assert.Equal(["probe:b@n1", "probe:a@n2", "probe:b@n2"], graph.Ordered().Select(a => a.Id));
        Assert.All(graph.Actions, a => Assert.True(a.IsProbe && graph.After(a.Id).IsEmpty));
        Assert.True(Probes.Plan(Config, status with { Nodes = [new NodeStatus("n3")] }).IsEmpty);
    }

    [Fact]
    public async Task Loop_StoppedRightAfterTheProbes_IsNotSettled_AndWhatTheyFoundRunningIsNotStartedAgain()
    {
        var config = Config with { Properties = new ClusterProperties(StonithEnabled: false) };
        var executor = new TransitionExecutor(ExpectedResultRunner.Instance, TimeProvider.System);

        var probed = await TransitionLoop.RunAsync(config, ClusterStatus.AllOnline(["n1"]), executor, DateTimeOffset.UnixEpoch, 1, TestContext.Current.CancellationToken);

        Assert.False(probed.Settled);
        Assert.Equal(["probe:a@n1", "probe:b@n1"], probed.Steps.Single().Graph.Ordered().Select(a => a.Id));

        // The expected-result runner answers a probe 0 (running): both are recorded as started; only the fence device is left to start.
        Assert.Equal(InstanceRole.Started, probed.Status.RoleOf("a", "n1"));
        var after = await TransitionLoop.RunAsync(config, probed.Status, executor, DateTimeOffset.UnixEpoch, 1, TestContext.Current.CancellationToken);
        Assert.True(after.Settled);
        Assert.Equal(["start:fencing@n1"], after.Steps.Single().Graph.Ordered().Select(a => a.Id));
    }

    [Fact]
    public async Task Loop_WithProbesStillToRun_IsNotSettled_EvenWhenTheSchedulerHasNothingToDo()
    {
        // The status says a and b run on n1, but nothing has asked n1 yet.
        var config = Config with { Primitives = [.. Config.Primitives.Where(p => !p.Agent.IsStonith)], Properties = new ClusterProperties(StonithEnabled: false) };
        var status = ClusterStatus.AllOnline(["n1"]) with
        {
            Resources = [new ResourceStatus("a", "", [new ResourceInstance("n1", InstanceRole.Started)]), new ResourceStatus("b", "", [new ResourceInstance("n1", InstanceRole.Started)])],
        };
        Assert.True(Scheduler.Schedule(config, status, null, TestContext.Current.CancellationToken).IsEmpty);
        var executor = new TransitionExecutor(ExpectedResultRunner.Instance, TimeProvider.System);

        var none = await TransitionLoop.RunAsync(config, status, executor, DateTimeOffset.UnixEpoch, 0, TestContext.Current.CancellationToken);
        var probed = await TransitionLoop.RunAsync(config, status, executor, DateTimeOffset.UnixEpoch, 1, TestContext.Current.CancellationToken);

        Assert.False(none.Settled);
        Assert.True(probed.Settled);
        Assert.Equal(["probe:a@n1", "probe:b@n1"], probed.Steps.Single().Graph.Ordered().Select(a => a.Id));
    }

    [Theory]
    [InlineData(7, true, "Stopped")]
    [InlineData(0, true, "Started")]
    [InlineData(8, true, "Promoted")]
    [InlineData(5, false, "Failed")]
    [InlineData(1, false, "Failed")]
    public void Record_ProbeResult_IsWhatRunsThere_AndAFailedProbeCountsNoFailure(int rc, bool succeeded, string role)
    {
        var probe = new TransitionAction(TransitionOp.Monitor, "a", "n1");
        var result = new ActionResult(rc);
        Assert.Equal(succeeded, ActionExpectations.Succeeded(probe, result));

        var status = StatusRecorder.Record(ClusterStatus.AllOnline(["n1"]), Config,
            new ExecutedAction(probe, result, succeeded, DateTimeOffset.UnixEpoch, TimeSpan.Zero));

        Assert.Equal(Enum.Parse<InstanceRole>(role), status.RoleOf("a", "n1"));
        Assert.Equal(rc, status.LastOperation("a", "n1", "monitor")!.RcCode);
        Assert.Equal(Score.Zero, status.FailcountOf("a", "n1").Count);
        Assert.True(Probes.Plan(Config, status).Actions.All(a => a.Node != "n1" || a.Resource != "a"), "a probed node is not probed again");
    }
}
