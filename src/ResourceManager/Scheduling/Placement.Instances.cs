using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// Which of a promotable clone's instances ends up on each node it is placed on, the way Pacemaker
// 2.1.5 hands its numbered instances out one by one. ClusterD places a clone as a set of nodes and
// keeps every instance that runs where the clone stays, but which instance Pacemaker puts on a node
// decides the ties its promotion breaks by the instance's current role and number.
internal sealed partial class Placement
{
    /// <summary>An instance of a clone: the node it runs on now (null for a new one) and Pacemaker's number for it.</summary>
    private sealed record CloneInstance(string? From, int Number);

    /// <summary>
    /// The instance Pacemaker puts on each node of <paramref name="chosen"/>. It takes the instances in
    /// turn: those whose agent reports a higher promotion score first (as it sees them: see
    /// AllocationPriority), then running ones, ones on a node that can keep them, then by number.
    /// First each running instance that has not failed stays where it runs, but only if no node still
    /// free scores higher for it ("not pre-allocating ... because ... is better"); then the others, in
    /// the same order, each take the best node left: an instance that did not stay moves there with its
    /// role and number, and a new instance starts where it ran.
    /// </summary>
    private Dictionary<string, CloneInstance> InstanceOrigins(CloneResource c, Primitive p, IReadOnlyDictionary<string, ResourceRole> active, List<string> chosen)
    {
        // Pacemaker has clone-max instances: those running, numbered in the nodes' order, then new ones;
        // an instance running beyond clone-max is an orphan that only stops.
        var clone = c.Id;
        var extra = ExtraInstances(p);
        var running = _view.Nodes.Select(n => n.Name).Where(n => active.ContainsKey(n) && !extra.Contains(n)).ToList();
        var fresh = Math.Max(0, (c.CloneMax ?? _view.Nodes.Count) - running.Count);
        var instances = running.Select((node, i) => new CloneInstance(node, i))
            .Concat(Enumerable.Range(running.Count, fresh).Select(i => new CloneInstance(null, i)))
            .OrderByDescending(i => AllocationPriority(p, i.From, active))
            .ThenBy(i => i.From is null ? 1 : 0)
            .ThenBy(i => i.From is { } from && !_view.FindNode(from)!.CanRun ? 1 : 0)
            .ThenBy(i => i.Number)
            .ToList();

        var placed = new Dictionary<string, CloneInstance>(StringComparer.Ordinal);
        var waiting = new List<CloneInstance>();
        foreach (var instance in instances)
        {
            if (instance.From is { } from && chosen.Contains(from) && _view.FailureOf(p.Id, from) is null
                && !chosen.Any(n => !placed.ContainsKey(n) && ScoreFor(instance, n) > ScoreOf(clone, from)))
            {
                placed[from] = instance;
            }
            else
            {
                waiting.Add(instance);
            }
        }

        foreach (var instance in waiting)
        {
            var left = chosen.Where(n => !placed.ContainsKey(n)).ToList();
            if (left.Count > 0)
            {
                placed[left.OrderByDescending(n => ScoreFor(instance, n)).First()] = instance;
            }
        }

        return placed;

        // A node another instance runs on scores for a running instance without that instance's
        // stickiness and without the agent's promotion score (which Pacemaker reads for the instance
        // active there); a new instance has only the stickiness taken away.
        Score ScoreFor(CloneInstance instance, string node)
        {
            if (!active.ContainsKey(node) || node == instance.From)
            {
                return ScoreOf(clone, node);
            }

            var score = ScoreOf(clone, node) + -_view.StickinessOf(p.Id);
            return instance.From is not null && PromotionAttribute(_view.FindNode(node)!, p.Id) is { } agent && agent > Score.Zero ? score + -agent : score;
        }
    }

    /// <summary>
    /// The instance's priority when Pacemaker orders instances for placement: the highest positive
    /// promotion score it sees on a node that can run it (and where it is not banned). A new instance sees every node's; a running
    /// one sees its own node's and those of nodes no other instance runs on.
    /// </summary>
    private Score AllocationPriority(Primitive p, string? from, IReadOnlyDictionary<string, ResourceRole> active)
    {
        var best = Score.Zero;
        foreach (var node in _view.Nodes.Where(n => n.CanRun && !_view.IsBanned(p.Id, n.Name) && (from is null || n.Name == from || !active.ContainsKey(n.Name))))
        {
            if (PromotionAttribute(node, p.Id) is { } score && score > best)
            {
                best = score;
            }
        }

        return best;
    }

    private Score ScoreOf(string clone, string node) =>
        _instanceScores.TryGetValue((clone, node), out var score) ? score : Score.MinusInfinity;
}
