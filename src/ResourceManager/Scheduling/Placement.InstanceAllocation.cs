using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// Which nodes a clone's instances go to, the way Pacemaker 2.1.5 hands its numbered instances out one
// at a time rather than choosing the best nodes as a set. Each instance sees the nodes its own way:
// its stickiness (and, for a promotable clone, the agent's promotion score Pacemaker read for it) only
// on the node it runs on, so a running instance that moves leaves both behind, and the instances
// placed after it see its old node lower.
internal sealed partial class Placement
{
    /// <summary>
    /// The nodes of <paramref name="slots"/> instances of a clone, in the order Pacemaker assigns them.
    /// The instances are taken in Pacemaker's order (<see cref="InstancesInAllocationOrder"/>). First
    /// each running instance that has not failed stays where it runs, but only if no node at all
    /// scores higher for it (Pacemaker does not hold the nodes of the instances kept so far against it
    /// then: "not pre-allocating ... because ... is better"); then the others, in the same order, each
    /// take the best node left for it, preferring the node it runs on among equals. An instance whose
    /// own scores (<paramref name="scores"/>) leave it no node left falls back to
    /// <paramref name="fallback"/>: the finite colocations and pulls it cannot satisfy are dropped for
    /// it alone.
    /// </summary>
    private List<string> AllocateInstancesOneByOne(CloneResource c, List<Primitive> managed, bool promotable,
        NodeScores scores, NodeScores fallback, HashSet<string> current, HashSet<string> blockedNodes, int slots)
    {
        var placed = new List<string>(Math.Max(0, slots));
        if (slots <= 0)
        {
            return placed;
        }

        // Instances blocked where they run keep their nodes and are not placed here; one held on a
        // pending node is placed as a new one (it takes a node to move to: SkipHeldMoves).
        var running = current.Where(n => !blockedNodes.Contains(n)).ToHashSet(StringComparer.Ordinal);
        var instances = InstancesInAllocationOrder(c, managed[0], running, slots);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var waiting = new List<CloneInstance>(instances.Count);
        foreach (var instance in instances)
        {
            if (placed.Count < slots && instance.From is { } from && StaysWhereItRuns(instance, from))
            {
                placed.Add(from);
                taken.Add(from);
            }
            else
            {
                waiting.Add(instance);
            }
        }

        foreach (var instance in waiting)
        {
            if (placed.Count >= slots)
            {
                break;
            }

            var seen = Free(SeenBy(instance, scores));
            if (!seen.AnyAllowed)
            {
                seen = Free(SeenBy(instance, fallback));
            }

            if (seen.Best(instance.From is { } from ? new HashSet<string>([from], StringComparer.Ordinal) : NoNodes, _load) is { } node)
            {
                placed.Add(node);
                taken.Add(node);
            }
        }

        return placed;

        bool StaysWhereItRuns(CloneInstance instance, string from)
        {
            if (!_view.FindNode(from)!.CanRun || managed.Any(p => _view.FailureOf(p.Id, from) is not null))
            {
                return false;
            }

            var seen = SeenBy(instance, scores);
            if (!seen.AnyAllowed)
            {
                seen = SeenBy(instance, fallback);
            }

            return NodeScores.Allows(seen[from]) && !taken.Contains(from) && seen.Nodes.All(n => seen[n] <= seen[from]);
        }

        // The nodes no instance was given yet, and not those of blocked instances.
        NodeScores Free(NodeScores seen)
        {
            foreach (var node in taken.Concat(blockedNodes))
            {
                seen[node] = Score.MinusInfinity;
            }

            return seen;
        }

        // The clone's scores as one instance sees them: on a node another instance runs on, without that
        // instance's stickiness and, unless it sees it there (SeesAgentScoreOn), without the agent's
        // promotion score.
        NodeScores SeenBy(CloneInstance instance, NodeScores clone)
        {
            var seen = clone.Copy();
            foreach (var node in running)
            {
                if (node == instance.From)
                {
                    continue;
                }

                var score = seen[node] + -StickinessOn(managed, node);
                if (promotable && !SeesAgentScoreOn(instance, node, _view.ActiveOf(managed[0].Id)) && PromotionAttribute(_view.FindNode(node)!, managed[0].Id) is { } agent && agent > Score.Zero)
                {
                    score += -agent;
                }

                seen[node] = score;
            }

            return seen;
        }
    }

    /// <summary>The stickiness an instance of a clone has where it runs: that of each of its primitives active on the node.</summary>
    private Score StickinessOn(List<Primitive> managed, string node)
    {
        var stickiness = Score.Zero;
        foreach (var p in managed)
        {
            if (_view.ActiveOf(p.Id).ContainsKey(node))
            {
                stickiness += _view.StickinessOf(p.Id);
            }
        }

        return stickiness;
    }

    /// <summary>
    /// A clone's <paramref name="count"/> instances in the order Pacemaker places them: those banned from
    /// the node they run on last (behind the new ones too, as Pacemaker does not count them as running
    /// where they cannot stay); before them, those whose agent reports a higher promotion score first
    /// (as they see them: see AllocationPriority), then running
    /// ones, ones on a node that can keep them, ones that have not failed, then by number. The running instances (on
    /// <paramref name="running"/>) are numbered in the nodes' order, then come new ones.
    /// </summary>
    private List<CloneInstance> InstancesInAllocationOrder(CloneResource c, Primitive p, HashSet<string> running, int count)
    {
        var active = _view.ActiveOf(p.Id);
        var from = _view.Nodes.Select(n => n.Name).Where(running.Contains).ToList();
        var fresh = Math.Max(0, count - from.Count);
        var probed = HasProbedNodeAfterLastActive(p, active);
        return from.Select((node, i) => new CloneInstance(node, i))
            .Concat(Enumerable.Range(from.Count, fresh).Select(i => new CloneInstance(null, i, Probed: probed && i == from.Count)))
            .OrderBy(i => i.From is { } node && _view.IsBanned(p.Id, node) ? 1 : 0)
            .ThenByDescending(i => c.Promotable ? AllocationPriority(p, i, active) : Score.Zero)
            .ThenBy(i => i.From is null ? 1 : 0)
            .ThenBy(i => i.From is { } node && !_view.FindNode(node)!.CanRun ? 1 : 0)
            .ThenBy(i => i.From is { } node && _view.FailureOf(p.Id, node) is not null ? 1 : 0)
            .ThenBy(i => i.Number)
            .ToList();
    }

    /// <summary>
    /// Whether the first new instance of a clone holds the history of a node where the clone was only
    /// probed. Pacemaker reads the status node by node and gives a node's history to the lowest-numbered
    /// instance not active yet: a probe before a node the clone is active on goes to the instance that
    /// then becomes active there, and only one after the last such node goes to a new instance.
    /// </summary>
    private bool HasProbedNodeAfterLastActive(Primitive p, IReadOnlyDictionary<string, ResourceRole> active)
    {
        var history = _view.HistoryOf(p.Id);
        for (var i = _view.Nodes.Count - 1; i >= 0; i--)
        {
            var node = _view.Nodes[i].Name;
            if (active.ContainsKey(node))
            {
                return false;
            }

            if (history.Contains(node))
            {
                return true;
            }
        }

        return false;
    }
}
