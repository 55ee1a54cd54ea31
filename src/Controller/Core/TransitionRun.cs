using System.Collections.Immutable;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Controller.Core;

/// <summary>
/// The DC's bookkeeping of one transition graph being executed across the cluster, driven by events:
/// <see cref="Start"/> gives the actions ready at once; each <see cref="Complete"/> gives the actions that
/// became ready. An action starts only when every action it waits for succeeded; among ready actions the
/// one the scheduler created first goes first. The first failure or an <see cref="Abort"/> stops it: no
/// new action starts, and it is <see cref="Done"/> when the ones in flight have reported.
/// </summary>
public sealed class TransitionRun
{
    private readonly Dictionary<string, int> _waiting;
    private readonly Dictionary<string, int> _position;
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly ImmutableArray<string> _fences;

    public TransitionRun(ulong id, TransitionGraph graph, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Id = id;
        Graph = graph;
        StartedAt = startedAt;
        var ordered = graph.Ordered();
        _position = ordered.Select((a, i) => (a.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        _fences = [.. graph.Actions.Where(a => a.Op == TransitionOp.Fence).Select(a => a.Id)];
        _waiting = ordered.ToDictionary(a => a.Id, a => graph.After(a.Id).Length + ExtraWaits(a).Count(), StringComparer.Ordinal);
    }

    public ulong Id { get; }

    public TransitionGraph Graph { get; }

    public DateTimeOffset StartedAt { get; }

    public string? AbortReason { get; private set; }

    /// <summary>Actions dispatched and not yet reported.</summary>
    public IReadOnlyCollection<string> InFlight => _inFlight;

    public bool Done => _inFlight.Count == 0 && (AbortReason is not null || _finished.Count == Graph.Actions.Length);

    public bool Completed => Done && AbortReason is null;

    /// <summary>The actions ready at the start, in dispatch order; they are in flight from now on.</summary>
    public ImmutableArray<TransitionAction> Start() => Dispatch(_waiting.Where(w => w.Value == 0).Select(w => w.Key));

    /// <summary>Records an action's result; returns the actions that became ready (none once aborted).</summary>
    public ImmutableArray<TransitionAction> Complete(string actionId, bool succeeded, string? failure = null)
    {
        if (!_inFlight.Remove(actionId))
        {
            return [];
        }

        _finished.Add(actionId);
        if (!succeeded)
        {
            AbortReason ??= failure ?? $"{actionId} failed";
            return [];
        }

        var ready = new List<string>();
        var dependents = Graph.Dependents(actionId).Concat(Graph.Actions.Where(a => ExtraWaits(a).Contains(actionId)).Select(a => a.Id));

        foreach (var dependent in dependents)
        {
            if (--_waiting[dependent] == 0)
            {
                ready.Add(dependent);
            }
        }

        return Dispatch(ready);
    }

    /// <summary>Stops dispatching; the actions in flight still report.</summary>
    public void Abort(string reason) => AbortReason ??= reason;

    public bool IsInFlight(string actionId) => _inFlight.Contains(actionId);

    /// <summary>
    /// What <paramref name="action"/> waits for beyond the graph's own edges (safety rules 1 and 2):
    /// <list type="bullet">
    /// <item>every other action waits for every fence. The scheduler orders only what it knows ran on the lost
    /// node after its fence, but a lost node may have acted since contact was lost (in a two-node partition
    /// both sides are quorate, and its DC promotes there), and an action in flight to it when it was lost may
    /// have done its work: nothing is known about it until it is fenced;</item>
    /// <item>a promote waits for every stop and demote of the same resource on other nodes, as Pacemaker's clone
    /// pseudo-actions order them (demoted, stopped, then promote): an instance whose role is unknown (a
    /// failed probe) may be the promoted one.</item>
    /// </list>
    /// </summary>
    private IEnumerable<string> ExtraWaits(TransitionAction action)
    {
        if (action.Op == TransitionOp.Fence)
        {
            return [];
        }

        var waits = _fences.AsEnumerable();
        if (action.Op == TransitionOp.Promote)
        {
            waits = waits.Concat(Graph.Actions
                .Where(a => a.Op is TransitionOp.Stop or TransitionOp.Demote && a.Resource == action.Resource && a.Node != action.Node)
                .Select(a => a.Id));
        }

        return waits.Where(w => !Graph.After(action.Id).Contains(w)).Distinct(StringComparer.Ordinal);
    }

    private ImmutableArray<TransitionAction> Dispatch(IEnumerable<string> ids)
    {
        if (AbortReason is not null)
        {
            return [];
        }

        var actions = ids.OrderBy(id => _position[id]).Select(id => Graph.Find(id)!).ToImmutableArray();
        foreach (var action in actions)
        {
            _inFlight.Add(action.Id);
            _waiting[action.Id] = -1;
        }

        return actions;
    }
}
