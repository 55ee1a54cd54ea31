using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.ResourceManager.Tests.Execution;

public sealed class TransitionExecutorTests
{
    private static readonly TransitionAction StopA = new(TransitionOp.Stop, "a", "n1");
    private static readonly TransitionAction StopB = new(TransitionOp.Stop, "b", "n1");
    private static readonly TransitionAction StartC = new(TransitionOp.Start, "c", "n2");
    private static readonly TransitionAction StartD = new(TransitionOp.Start, "d", "n2");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Execute_IndependentActionsRunTogether_AndAnActionWaitsForAllItsPredecessors()
    {
        // c waits for a and b; d for c.
        var graph = Graph([StopA, StopB, StartC, StartD], (StartC, StopA), (StartC, StopB), (StartD, StartC));
        var runner = new GatedRunner();
        var aRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var executor = new TransitionExecutor(runner, TimeProvider.System, new ExecutorOptions
        {
            Finished = e =>
            {
                if (e.Action.Id == StopA.Id)
                {
                    aRecorded.TrySetResult();
                }
            },
        });
        var run = executor.ExecuteAsync(graph, ClusterConfig.Empty, Ct);

        await runner.WaitStartedAsync(StopA.Id, StopB.Id);
        runner.Finish(StopA.Id, ActionResult.Ok);

        // The executor has taken a's result (and found c still waiting for b) before b finishes.
        await aRecorded.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.DoesNotContain(StartC.Id, runner.Started);

        runner.Finish(StopB.Id, ActionResult.Ok);
        await runner.WaitStartedAsync(StartC.Id);
        Assert.DoesNotContain(StartD.Id, runner.Started);
        runner.Finish(StartC.Id, ActionResult.Ok);
        await runner.WaitStartedAsync(StartD.Id);
        runner.Finish(StartD.Id, ActionResult.Ok);

        var result = await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(result.Completed, result.AbortReason);
        Assert.Equal([StopA.Id, StopB.Id, StartC.Id, StartD.Id], runner.Started);
        Assert.Equal([StopA.Id, StopB.Id, StartC.Id, StartD.Id], result.Executed.Select(e => e.Action.Id));
        Assert.Empty(result.NotRun);
    }

    [Fact]
    public async Task Execute_MaxParallel_StartsReadyActionsInTheGraphsOrderOneAtATime()
    {
        var graph = Graph([StopA, StopB, StartC]);
        var runner = new GatedRunner();
        var executor = new TransitionExecutor(runner, TimeProvider.System, new ExecutorOptions { MaxParallel = 1 });
        var run = executor.ExecuteAsync(graph, ClusterConfig.Empty, Ct);

        await runner.WaitStartedAsync(StopA.Id);
        await Task.Delay(50, Ct);
        Assert.Equal([StopA.Id], runner.Started);
        runner.Finish(StopA.Id, ActionResult.Ok);
        await runner.WaitStartedAsync(StopB.Id);
        Assert.Equal([StopA.Id, StopB.Id], runner.Started);
        runner.Finish(StopB.Id, ActionResult.Ok);
        await runner.WaitStartedAsync(StartC.Id);
        runner.Finish(StartC.Id, ActionResult.Ok);

        Assert.True((await run.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Completed);
    }

    [Fact]
    public async Task Execute_AFailedAction_StopsTheTransition_RunningActionsFinishAndNothingNewStarts()
    {
        // a and b run together; c waits for a; d is independent but held back by MaxParallel 2.
        var graph = Graph([StopA, StopB, StartC, StartD], (StartC, StopA));
        var runner = new GatedRunner();
        var finished = new List<string>();
        var aRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var executor = new TransitionExecutor(runner, TimeProvider.System, new ExecutorOptions
        {
            MaxParallel = 2,
            Finished = e =>
            {
                finished.Add(e.ToString());
                if (e.Action.Id == StopA.Id)
                {
                    aRecorded.TrySetResult();
                }
            },
        });
        var run = executor.ExecuteAsync(graph, ClusterConfig.Empty, Ct);

        await runner.WaitStartedAsync(StopA.Id, StopB.Id);
        runner.Finish(StopA.Id, new ActionResult(1, Reason: "device busy"));

        // The executor has taken a's failure before b finishes; it still waits for b.
        await aRecorded.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(run.IsCompleted, "the transition must wait for b, which is still running");
        runner.Finish(StopB.Id, ActionResult.Ok);

        var result = await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(result.Completed);
        Assert.Equal("stop:a@n1 failed: rc 1 (device busy)", result.AbortReason);
        Assert.Equal([StopA.Id, StopB.Id], runner.Started);
        Assert.Equal([StartC.Id, StartD.Id], result.NotRun.Select(a => a.Id));
        Assert.Equal([StopA.Id], result.Failed.Select(e => e.Action.Id));
        Assert.Equal(["stop:a@n1: rc 1 FAILED", "stop:b@n1: rc 0"], finished);
    }

    [Fact]
    public async Task Execute_AbortedFromOutside_LetsTheRunningActionFinishAndStartsNothingMore()
    {
        var graph = Graph([StopA, StartC], (StartC, StopA));
        var runner = new GatedRunner();
        using var abort = new CancellationTokenSource();
        var run = new TransitionExecutor(runner, TimeProvider.System).ExecuteAsync(graph, ClusterConfig.Empty, abort.Token);

        await runner.WaitStartedAsync(StopA.Id);
        await abort.CancelAsync();
        Assert.False(runner.Tokens[StopA.Id].IsCancellationRequested, "an abort does not cancel an agent half-way");
        runner.Finish(StopA.Id, ActionResult.Ok);

        var result = await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(result.Completed);
        Assert.Equal("the transition was aborted", result.AbortReason);
        Assert.True(result.Executed.Single().Succeeded);
        Assert.Equal([StartC.Id], result.NotRun.Select(a => a.Id));
    }

    [Fact]
    public async Task Execute_RunnerNeverReturns_TimesOutAfterTheOpTimeoutPlusGrace_AndCancelsTheRunner()
    {
        var config = Parse("""
            primitive a ocf:pacemaker:Dummy op stop timeout=30s interval=0
            """);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var runner = new GatedRunner();
        var executor = new TransitionExecutor(runner, time, new ExecutorOptions { Grace = TimeSpan.FromSeconds(5) });
        var run = executor.ExecuteAsync(Graph([StopA]), config, Ct);
        await runner.WaitStartedAsync(StopA.Id);
        Assert.Equal(TimeSpan.FromSeconds(30), runner.Timeouts[StopA.Id]);

        time.Advance(TimeSpan.FromSeconds(34));
        await Task.Delay(50, Ct);
        Assert.False(run.IsCompleted, "still within timeout + grace");
        time.Advance(TimeSpan.FromSeconds(1));

        var result = await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var executed = result.Executed.Single();
        Assert.Equal(ActionExecStatus.Timeout, executed.Result.Status);
        Assert.False(executed.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(35), executed.Elapsed);
        Assert.True(runner.Tokens[StopA.Id].IsCancellationRequested);
        Assert.StartsWith("stop:a@n1 failed: timeout: no result within 35 s", result.AbortReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_RunnerThrows_IsRecordedAsAnErrorAndTheTransitionStops()
    {
        var runner = new GatedRunner();
        var run = new TransitionExecutor(runner, TimeProvider.System).ExecuteAsync(Graph([StopA, StartC], (StartC, StopA)), ClusterConfig.Empty, Ct);
        await runner.WaitStartedAsync(StopA.Id);
        runner.Throw(StopA.Id, new IOException("node n1 unreachable"));

        var result = await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(ActionExecStatus.Error, result.Executed.Single().Result.Status);
        Assert.Equal("stop:a@n1 failed: error: IOException: node n1 unreachable", result.AbortReason);
        Assert.Equal([StartC.Id], result.NotRun.Select(a => a.Id));
    }

    [Fact]
    public async Task Execute_EmptyGraph_CompletesAtOnce()
    {
        var result = await new TransitionExecutor(new GatedRunner(), TimeProvider.System).ExecuteAsync(TransitionGraph.Empty, ClusterConfig.Empty, Ct);
        Assert.True(result.Completed);
        Assert.Empty(result.Executed);
    }

    [Theory]
    [InlineData("start", 0, true)]
    [InlineData("start", 7, false)]
    [InlineData("stop", 0, true)]
    [InlineData("stop", 7, true)]
    [InlineData("stop", 1, false)]
    [InlineData("promote", 0, true)]
    [InlineData("promote", 8, false)]
    [InlineData("demote", 0, true)]
    [InlineData("monitor-Promoted", 8, true)]
    [InlineData("monitor-Promoted", 0, false)]
    [InlineData("monitor-Unpromoted", 0, true)]
    [InlineData("monitor-Unpromoted", 8, false)]
    [InlineData("monitor", 7, false)]
    [InlineData("fence", 0, true)]
    [InlineData("fence", 1, false)]
    public void Succeeded_ComparesTheExitCodeWithWhatTheActionAskedFor(string op, int rc, bool expected)
    {
        var action = op switch
        {
            "monitor-Promoted" => new TransitionAction(TransitionOp.Monitor, "p", "n1", Duration.FromSeconds(29), ResourceRole.Promoted),
            "monitor-Unpromoted" => new TransitionAction(TransitionOp.Monitor, "p", "n1", Duration.FromSeconds(31), ResourceRole.Unpromoted),
            "monitor" => new TransitionAction(TransitionOp.Monitor, "p", "n1", Duration.FromSeconds(10)),
            "fence" => new TransitionAction(TransitionOp.Fence, "", "n1"),
            _ => new TransitionAction(Enum.Parse<TransitionOp>(op, ignoreCase: true), "p", "n1"),
        };
        Assert.Equal(expected, ActionExpectations.Succeeded(action, new ActionResult(rc)));
        Assert.False(ActionExpectations.Succeeded(action, new ActionResult(rc, ActionExecStatus.Timeout)));
    }

    [Fact]
    public void Timeout_ComesFromTheOp_ThenOpDefaults_ThenTwentySeconds_AndFencingFromFencingTimeout()
    {
        var config = Parse("""
            primitive a ocf:pacemaker:Dummy op start timeout=90s interval=0 op monitor interval=10s timeout=15s
            primitive b ocf:pacemaker:Dummy
            op_defaults timeout=40s
            property stonith-timeout=120s
            """);
        Assert.Equal(TimeSpan.FromSeconds(90), ActionExpectations.Timeout(new TransitionAction(TransitionOp.Start, "a", "n1"), config));
        Assert.Equal(TimeSpan.FromSeconds(15), ActionExpectations.Timeout(new TransitionAction(TransitionOp.Monitor, "a", "n1", Duration.FromSeconds(10)), config));
        Assert.Equal(TimeSpan.FromSeconds(40), ActionExpectations.Timeout(new TransitionAction(TransitionOp.Stop, "a", "n1"), config));
        Assert.Equal(TimeSpan.FromSeconds(40), ActionExpectations.Timeout(new TransitionAction(TransitionOp.Start, "b", "n1"), config));
        Assert.Equal(TimeSpan.FromSeconds(120), ActionExpectations.Timeout(new TransitionAction(TransitionOp.Fence, "", "n1"), config));
        Assert.Equal(TimeSpan.FromSeconds(20), ActionExpectations.Timeout(new TransitionAction(TransitionOp.Start, "b", "n1"), ClusterConfig.Empty));
        Assert.Equal(TimeSpan.FromSeconds(60), ActionExpectations.Timeout(new TransitionAction(TransitionOp.Fence, "", "n1"), ClusterConfig.Empty));
    }

    internal static ClusterConfig Parse(string crm) => CrmParser.Parse(crm).GetConfigOrThrow();

    /// <summary>A graph of <paramref name="actions"/> where each pair's first action waits for its second.</summary>
    private static TransitionGraph Graph(TransitionAction[] actions, params (TransitionAction Then, TransitionAction First)[] edges) =>
        new([.. actions],
            edges.GroupBy(e => e.Then.Id).ToImmutableDictionary(g => g.Key, g => g.Select(e => e.First.Id).ToImmutableArray(), StringComparer.Ordinal),
            [],
            []);
}
