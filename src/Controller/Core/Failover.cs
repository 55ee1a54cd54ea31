using System.Collections.Immutable;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>What set the DC planning: a view change, a failed monitor, an operator's command.</summary>
internal sealed record Trigger(DateTimeOffset At, string Why, TimeSpan? Detection = null);

/// <summary>
/// One move of a promoted instance to another node, followed from the event that caused it to the end of
/// the transition that completed it, with the time each phase took: scheduling (cause to first action),
/// fencing, and every action.
/// </summary>
internal sealed class Failover
{
    private readonly List<(string Phase, TimeSpan Duration)> _phases = [];
    private DateTimeOffset? _fenceStarted;

    private Failover(string resource, string from, string to, Trigger trigger, DateTimeOffset planned)
    {
        Resource = resource;
        From = from;
        To = to;
        Since = trigger.At;
        Cause = trigger.Why;
        if (trigger.Detection is { } detection)
        {
            // From the lost node's last heartbeat to the view without it.
            _phases.Add(("detection", detection));
            Since = trigger.At - detection;
        }

        _phases.Add(("scheduling", planned - trigger.At));
    }

    public string Resource { get; }

    public string From { get; }

    public string To { get; }

    public DateTimeOffset Since { get; }

    public string Cause { get; }

    /// <summary>A failover when the graph promotes an instance on a node while another node holds (or held) it Promoted.</summary>
    public static Failover? Detect(ClusterStatus status, TransitionGraph graph, Trigger? trigger, DateTimeOffset now)
    {
        foreach (var promote in graph.Actions.Where(a => a.Op == TransitionOp.Promote))
        {
            var holder = status.FindResource(promote.Resource)?.Instances.FirstOrDefault(i => i.Role == InstanceRole.Promoted && i.Node != promote.Node);
            if (holder is not null)
            {
                return new Failover(promote.Resource, holder.Node, promote.Node, trigger ?? new Trigger(now, "planned"), now);
            }
        }

        return null;
    }

    public string Describe() => $"{Resource}: Promoted moves from {From} to {To} ({Cause})";

    public void FenceStarted(DateTimeOffset at) => _fenceStarted ??= at;

    public void ActionFinished(TransitionAction action, TimeSpan took) =>
        _phases.Add((action.Op == TransitionOp.Fence ? "fencing " + action.Node : action.Id, took));

    public ImmutableArray<(string Phase, TimeSpan Duration)> Phases(DateTimeOffset now) => [.. _phases, ("total", now - Since)];
}
