using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// Which of a promotable clone's instances ends up on each node it is placed on, the way Pacemaker
// 2.1.5 hands its numbered instances out one by one (Placement.InstanceAllocation.cs chooses the
// nodes): ClusterD keeps every instance that runs where the clone stays, but which instance Pacemaker
// puts on a node decides the ties its promotion breaks by the instance's current role and number.
internal sealed partial class Placement
{
    /// <summary>
    /// An instance of a clone: the node it runs on now (null for a new one) and Pacemaker's number for it.
    /// <paramref name="Probed"/>: a new instance that holds the history of the nodes where the clone was
    /// only probed (Pacemaker gives all of it to its first instance that runs nowhere).
    /// </summary>
    private sealed record CloneInstance(string? From, int Number, bool Probed = false);

    /// <summary>
    /// The instance Pacemaker puts on each node of <paramref name="chosen"/>. It takes the instances in
    /// turn, in its order (<see cref="InstancesInAllocationOrder"/>). First each running instance that has not failed stays where it runs, but only if no node still
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
        var running = _view.Nodes.Select(n => n.Name).Where(n => active.ContainsKey(n) && !extra.Contains(n)).ToHashSet(StringComparer.Ordinal);
        var instances = InstancesInAllocationOrder(c, p, running, Math.Max(running.Count, c.CloneMax ?? _view.Nodes.Count));

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

        // A node another instance runs on scores for an instance without that instance's stickiness
        // and, unless it sees it there (SeesAgentScoreOn), without the agent's promotion score.
        Score ScoreFor(CloneInstance instance, string node)
        {
            if (!active.ContainsKey(node) || node == instance.From)
            {
                return ScoreOf(clone, node);
            }

            var score = ScoreOf(clone, node) + -_view.StickinessOf(p.Id);
            return !SeesAgentScoreOn(instance, node, active) && PromotionAttribute(_view.FindNode(node)!, p.Id) is { } agent && agent > Score.Zero ? score + -agent : score;
        }
    }

    /// <summary>
    /// The instance's priority when Pacemaker orders instances for placement: the highest positive
    /// promotion score it sees (<see cref="SeesAgentScoreOn"/>) on a node that can run it (and where it is not banned).
    /// </summary>
    private Score AllocationPriority(Primitive p, CloneInstance instance, IReadOnlyDictionary<string, ResourceRole> active)
    {
        var best = Score.Zero;
        foreach (var node in _view.Nodes.Where(n => n.CanRun && !_view.IsBanned(p.Id, n.Name) && SeesAgentScoreOn(instance, n.Name, active)))
        {
            if (PromotionAttribute(node, p.Id) is { } score && score > best)
            {
                best = score;
            }
        }

        return best;
    }

    /// <summary>
    /// Whether an instance sees the promotion score the agent reported on a node: Pacemaker reads it for
    /// the instance active there, so another instance sees it only where none is active, unless it
    /// has no history anywhere (a new instance that holds no probe's history sees every node's).
    /// </summary>
    private static bool SeesAgentScoreOn(CloneInstance instance, string node, IReadOnlyDictionary<string, ResourceRole> active) =>
        node == instance.From || !active.ContainsKey(node) || (instance.From is null && !instance.Probed);

    private Score ScoreOf(string clone, string node) =>
        _instanceScores.TryGetValue((clone, node), out var score) ? score : Score.MinusInfinity;
}
