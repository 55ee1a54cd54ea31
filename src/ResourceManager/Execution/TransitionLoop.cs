using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// The controller's cycle without a cluster around it: schedule, execute, record the results, and
/// again, until the scheduler has nothing left to do (settled) or <c>maxTransitions</c> ran; failure
/// timeouts are measured against <c>now</c>. Used by
/// <c>clusterctl simulate --run</c> and by tests; the daemon runs the same steps, one per event.
/// </summary>
public static class TransitionLoop
{
    public static async Task<LoopOutcome> RunAsync(
        ClusterConfig config, ClusterStatus status, TransitionExecutor executor, DateTimeOffset now, int maxTransitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var steps = ImmutableArray.CreateBuilder<LoopStep>();
        for (var i = 0; i < maxTransitions; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var graph = Scheduler.Schedule(config, status, now);
            if (graph.IsEmpty)
            {
                return new LoopOutcome(steps.ToImmutable(), status, Settled: true);
            }

            var result = await executor.ExecuteAsync(graph, config, cancellationToken).ConfigureAwait(false);
            status = StatusRecorder.Record(status, config, result);
            steps.Add(new LoopStep(graph, result));
        }

        return new LoopOutcome(steps.ToImmutable(), status, Settled: Scheduler.Schedule(config, status, now).IsEmpty);
    }
}
