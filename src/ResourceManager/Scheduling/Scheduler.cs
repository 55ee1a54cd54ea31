using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// The pure scheduler (DESIGN.md section 3): from a configuration and a status snapshot, where every
/// resource should run and the ordered actions that get it there. No I/O, no clock, no randomness:
/// the same inputs always give the same graph. The algorithm and where it differs from Pacemaker
/// are in docs/scheduler.md.
/// </summary>
/// <remarks>
/// Safety rules (DESIGN.md section 4) every graph keeps: never more than <c>promoted-max</c>
/// instances Promoted, neither in the placement nor at any point of any execution order (every
/// promote waits for every demote of its clone); a resource colocated with a Promoted role only
/// where that instance is Promoted; nothing of an unclean node's resources started or promoted
/// anywhere before the node is fenced (when fencing is enabled; otherwise a warning says that split
/// brain is possible).
/// </remarks>
public static class Scheduler
{
    /// <summary>
    /// Plans one transition. <paramref name="now"/> is the time <c>failure-timeout</c> is measured
    /// against; without it no failure expires.
    /// </summary>
    public static TransitionGraph Schedule(ClusterConfig config, ClusterStatus status, DateTimeOffset? now = null) =>
        Schedule(config, status, now, CancellationToken.None);

    /// <summary>
    /// As <see cref="Schedule(ClusterConfig, ClusterStatus, DateTimeOffset?)"/>, giving up with an
    /// <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled:
    /// every loop over resources, instances, constraints and actions checks it at each step, so a run
    /// on a huge configuration stops within one step (a few microseconds).
    /// </summary>
    public static TransitionGraph Schedule(ClusterConfig config, ClusterStatus status, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(status);
        cancellationToken.ThrowIfCancellationRequested();
        var view = new ClusterView(config, status, now, cancellationToken);
        var placement = new Placement(view);
        placement.Run();
        return new ActionPlanner(view, placement).Build();
    }
}
