using ClusterD.CibKit;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Scheduling;

/// <summary>
/// The large inputs of the scale benchmarks (bench/ClusterD.Benchmarks/ResourceManager) decided
/// right: what gets placed, fenced, stopped, and that nothing deep or long exhausts the stack. How
/// long they take is the benchmarks' business, not these tests'.
/// </summary>
public sealed class SchedulerScaleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Schedule_ChainOf20000Colocations_PlacesTheWholeChainOnOneNode()
    {
        var (config, status) = Import(ScaleCluster.ColocationChain(20_000));

        var graph = Scheduler.Schedule(config, status, null, Ct);

        Assert.Equal(20_001, graph.Placement.Length);
        Assert.Single(graph.Placement.Select(p => p.Node).Distinct());
        Assert.Equal(20_001, graph.Actions.Count(a => a.Op == TransitionOp.Start));
    }

    [Fact]
    public void Schedule_10000PrimitivesOneNodeLost_FencesItThenRecoversExactlyItsResources()
    {
        var (config, status) = Import(ScaleCluster.Cib(10_000, ScaleCase.NodeLost));
        var lost = status.Resources.Where(r => r.Instances.Any(i => i.Node == "n01")).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        var graph = Scheduler.Schedule(config, status, null, Ct);

        var fence = Assert.Single(graph.Actions, a => a.Op == TransitionOp.Fence);
        Assert.Equal("n01", fence.Node);
        var starts = graph.Actions.Where(a => a.Op == TransitionOp.Start).ToList();
        Assert.Equal(lost.Order(StringComparer.Ordinal), starts.Select(a => a.Resource).Order(StringComparer.Ordinal));
        Assert.All(starts, s => Assert.True(graph.Precedes(fence.Id, s.Id), s.Id));
        Assert.DoesNotContain(graph.Actions, a => a.Op == TransitionOp.Stop);
        Assert.Equal(10_001, graph.Placement.Length);
        Assert.DoesNotContain(graph.Placement, p => p.Node == "n01");
    }

    [Fact]
    public void Schedule_10000PrimitivesColdStart_StartsEveryPrimitiveOnceAndMonitorsIt()
    {
        var (config, status) = Import(ScaleCluster.Cib(10_000, ScaleCase.ColdStart));

        var graph = Scheduler.Schedule(config, status, null, Ct);

        Assert.Equal(10_001, graph.Actions.Count(a => a.Op == TransitionOp.Start));
        Assert.Equal(10_000, graph.Actions.Count(a => a.Op == TransitionOp.Monitor));
        Assert.Equal(config.Primitives.Select(p => p.Id).Order(StringComparer.Ordinal), graph.Placement.Select(p => p.Resource));

        // Every group's members run together, and every INFINITY colocation holds.
        var nodeOf = graph.Placement.ToDictionary(p => p.Resource, p => p.Node, StringComparer.Ordinal);
        Assert.All(config.Groups, g => Assert.Single(g.Members.Select(m => nodeOf[m]).Distinct()));
        var index = new ConfigIndex(config);
        Assert.All(
            config.Colocations.Where(c => c.Score.IsInfinity),
            c => Assert.Equal(nodeOf[index.PrimitivesOf(c.WithResource)[0].Id], nodeOf[index.PrimitivesOf(c.Resource)[0].Id]));
    }

    [Fact]
    public async Task RunLoop_10000OrphansInTheStatus_StopsEveryOneInOneTransitionAndSettles()
    {
        var (config, status) = Import(ScaleCluster.Orphans(10_000));

        var outcome = await TransitionLoop.RunAsync(
            config, status, new TransitionExecutor(ExpectedResultRunner.Instance, TimeProvider.System), DateTimeOffset.UnixEpoch, 10, Ct, probe: false);

        Assert.True(outcome.Settled);
        var first = outcome.Steps[0];
        Assert.Equal(10_000, first.Result.Executed.Count(e => e.Action.Op == TransitionOp.Stop && e.Succeeded));
        Assert.All(outcome.Status.Resources.Where(r => r.Id.StartsWith("orphan", StringComparison.Ordinal)), r => Assert.Empty(r.Instances));
        var stops = outcome.Status.Operations.Where(o => o.Operation == "stop").ToList();
        Assert.Equal(10_000, stops.Count);
        Assert.Equal(10_000, stops.Select(o => o.CallId).Distinct().Count()); // each result recorded as a call of its own
    }

    [Fact]
    public void Schedule_CancelledToken_ThrowsBeforeDecidingAnything()
    {
        var (config, status) = Import(ScaleCluster.Cib(1_000, ScaleCase.ColdStart));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => Scheduler.Schedule(config, status, null, cancelled.Token));
    }

    private static (ClusterConfig Config, ClusterStatus Status) Import(string cib)
    {
        var imported = CibImporter.Import(cib, "scale.xml");
        Assert.True(imported.Succeeded, string.Join("; ", imported.Errors.Take(3)));
        return (imported.Config!, imported.Status!);
    }
}
