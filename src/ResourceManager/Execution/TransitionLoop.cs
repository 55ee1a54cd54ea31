using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// The controller's cycle without a cluster around it: probe what nobody knows yet (<see cref="Probes"/>,
/// unless <c>probe</c> is false, as when the status is taken as the truth), schedule, execute, record
/// the results, and again, until the scheduler has nothing left to do (settled) or <c>maxTransitions</c>
/// ran; failure timeouts are measured against <c>now</c>. Used by
/// <c>clusterctl simulate --run</c> and by tests; the daemon runs the same steps, one per event.
/// </summary>
public static class TransitionLoop
{
    public static async Task<LoopOutcome> RunAsync(
        ClusterConfig config, ClusterStatus status, TransitionExecutor executor, DateTimeOffset now, int maxTransitions, CancellationToken cancellationToken,
        bool probe = true)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var steps = ImmutableArray.CreateBuilder<LoopStep>();
        for (var i = 0; i < maxTransitions; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // What runs where is learned before anything is planned from it (a probe transition of its own).
            var probes = probe ? Probes.Plan(config, status) : TransitionGraph.Empty;
            var graph = probes.IsEmpty ? Scheduler.Schedule(config, status, now, cancellationToken) : probes;
            if (graph.IsEmpty)
            {
                return new LoopOutcome(steps.ToImmutable(), status, Settled: true);
            }

            var result = await executor.ExecuteAsync(graph, config, cancellationToken).ConfigureAwait(false);
            status = StatusRecorder.Record(status, config, result);
            steps.Add(new LoopStep(graph, result));
        }

        var settled = (!probe || Probes.Plan(config, status).IsEmpty) && Scheduler.Schedule(config, status, now, cancellationToken).IsEmpty;
        return new LoopOutcome(steps.ToImmutable(), status, settled);
    }
}
