using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// What pending nodes hold back once every resource has a place (ClusterView.Pending.cs). Pacemaker
// places such resources as usual, so they count in the load of the node they were given and pull
// what follows them there, and only then finds that their start cannot run ("blocked"); what is
// ordered after that start, or colocated with it at INFINITY, is held back too (Enforce).
internal sealed partial class Placement
{
    private void HoldForPendingNodes()
    {
        if (!_view.HasPendingNodes)
        {
            return;
        }

        foreach (var p in _view.Config.Primitives)
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            if (_view.IsFrozenResource(p.Id))
            {
                continue;
            }

            if (_view.IsUnprobed(p.Id))
            {
                foreach (var blocked in BlockedByProbe(p))
                {
                    foreach (var node in TargetOf(blocked.Id).Keys.Where(n => !_view.IsHeldOnPendingNode(blocked.Id, n)).ToList())
                    {
                        Drop(blocked.Id, node);
                    }
                }
            }
            else if (_index.CloneOf(p.Id) is null)
            {
                KeepOnPendingNodes(p.Id);
            }
        }
    }

    /// <summary>
    /// What a primitive that cannot be probed holds back: itself (and, through <see cref="Drop"/>, the
    /// group members after it). In a clone of a group, Pacemaker orders the whole clone's start after the
    /// probe, and its instances stop rather than run without that member: every member of every instance.
    /// </summary>
    private IReadOnlyList<Primitive> BlockedByProbe(Primitive p) =>
        _index.CloneOf(p.Id) is { } clone && _index.FindResource(clone.Child) is ResourceGroup
            ? _index.PrimitivesOf(clone.Id)
            : [p];

    /// <summary>
    /// A primitive (not a clone's: see <see cref="SkipHeldMoves"/>) active on a pending node stays there
    /// in its role. Where placement moved it, the start waits for a stop that cannot run, and so does
    /// the start of a copy active on a second node (stopped everywhere, then started once): those are
    /// dropped, and only a copy <c>multiple-active=stop_unexpected</c> leaves running is kept.
    /// </summary>
    private void KeepOnPendingNodes(string primitive)
    {
        var held = _view.HeldNodesOf(primitive).ToList();
        if (held.Count == 0)
        {
            return;
        }

        var active = _view.ActiveOf(primitive);
        var keepsCopy = _view.MultipleActiveOf(primitive) == MultipleActivePolicy.StopUnexpected;
        foreach (var node in TargetOf(primitive).Keys.Where(n => !(keepsCopy && active.ContainsKey(n))).ToList())
        {
            Drop(primitive, node);
        }

        foreach (var node in held)
        {
            Set(primitive, node, active[node]);
        }
    }

    /// <summary>
    /// A clone's instance on a pending node keeps its place there, and Pacemaker also gives it a node
    /// to move to (before instances that run nowhere yet): the best node the clone does not run on now.
    /// The move cannot happen, so that node gets no instance, but it counts in the node's load.
    /// </summary>
    private List<string> SkipHeldMoves(List<string> chosen, int held, HashSet<string> current, int primitives)
    {
        if (held == 0)
        {
            return chosen;
        }

        var moves = chosen.Where(n => !current.Contains(n)).Take(held).ToHashSet(StringComparer.Ordinal);
        foreach (var node in moves)
        {
            _load[node] = _load.GetValueOrDefault(node) + primitives;
        }

        return [.. chosen.Where(n => !moves.Contains(n))];
    }

    /// <summary>
    /// Whether the start of a primitive can happen (for what is ordered after it): not while it is held
    /// on a pending node, even where a copy keeps running (its start waits for the stop there), while a
    /// clone's instances elsewhere start on their own. A primitive blocked by a failure has no action
    /// that can run, so what must start after it cannot either, although it still runs; one unmanaged
    /// by the administrator does not hold back what follows it (Pacemaker treats them so).
    /// </summary>
    private bool Starts(string primitive) =>
        _index.CloneOf(primitive) is null
            ? TargetOf(primitive).Count > 0 && !_view.HeldNodesOf(primitive).Any() && !_view.IsBlockedByFailure(primitive)
            : TargetOf(primitive).Keys.Any(n => !_view.IsHeldOnPendingNode(primitive, n));
}
