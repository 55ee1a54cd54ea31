using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// Which placed instances of a promotable clone are promoted, the way Pacemaker 2.1.5 ranks them.
// Each instance first gets its own priority: its agent's promotion score (-1 without one), plus the
// Promoted-role locations of its node, plus the Promoted-role colocations Pacemaker hands down to every
// instance (mandatory and negative ones, and all of them when the clone has fewer instances than
// nodes) where the primary ended up. The priorities that are not negative are then added to the
// clone's own node scores, and those are merged with the node scores of what the Promoted role is
// colocated with and of what is colocated with the Promoted role: the scores those resources were
// placed with, not where they went, each pulling in what is colocated with it in turn. An instance
// keeps a negative priority as its rank; the others take their node's merged score.
internal sealed partial class Placement
{
    // The node scores each top-level resource was placed with (for a clone, the clone's own ones:
    // its locations and what follows it), which is what merging a resource's scores reads once placed.
    private readonly Dictionary<string, NodeScores> _placedScores = new(StringComparer.Ordinal);

    /// <summary>
    /// Promotes up to <c>promoted-max</c> placed instances: those whose rank is zero or more, highest
    /// first; on a tie the one whose instance (which may come from another node: InstanceOrigins) has
    /// the higher role now (Promoted, then running, then stopped), then the higher own priority, then
    /// one whose instance runs where it can stay, then one whose instance has not failed, then
    /// Pacemaker's instance order.
    /// </summary>
    /// <param name="allocated">The instances' nodes in the order they were placed: Pacemaker numbers
    /// the active instances in the status' node order, then the new ones in the order they are placed.</param>
    private void Promote(CloneResource c, Primitive p, List<string> allocated)
    {
        if (_view.DemoteAll || _view.TargetRoleOf(p.Id) == ResourceRole.Unpromoted || c.PromotedNodeMax < 1)
        {
            return;
        }

        var active = _view.ActiveOf(p.Id);
        var instances = InstanceOrigins(c, p, active, allocated);
        var priorities = new Dictionary<string, Score>(StringComparer.Ordinal);
        var allColocations = (c.CloneMax ?? _view.Nodes.Count) < _view.Nodes.Count(n => n.CanRun);
        foreach (var nodeName in TargetOf(p.Id).Keys.Where(n => !_view.IsBlockedOn(p.Id, n)))
        {
            var promotedNow = active.TryGetValue(nodeName, out var role) && role == ResourceRole.Promoted;
            if (_view.FailureOf(p.Id, nodeName)?.Kind == FailureKind.Demote || (_view.StartsBlocked && !promotedNow))
            {
                continue;
            }

            priorities[nodeName] = InstancePriority(c, p, nodeName, allColocations, SeesAgentScore(nodeName));
        }

        var ranks = PromotionRanks(c, priorities);
        var ranked = ranks
            .OrderByDescending(r => r.Value)
            .ThenByDescending(r => RoleRank(Origin(r.Key) is { } from ? active[from] : ResourceRole.Stopped))
            .ThenByDescending(r => priorities[r.Key])
            .ThenBy(r => Origin(r.Key) is { } from && !_view.FindNode(from)!.CanRun ? 1 : 0)
            .ThenBy(r => Origin(r.Key) is { } from && _view.FailureOf(p.Id, from) is not null ? 1 : 0)
            .ThenBy(r => instances.TryGetValue(r.Key, out var instance) ? instance.Number : int.MaxValue)
            .Select(r => r.Key)
            .ToList();
        KeepInRankOrder(c, ranked);
        var promoted = ranked.Where(n => NodeScores.Allows(ranks[n]))
            .Take(Math.Max(0, c.PromotedMax - StuckPromoted(p.Id) - _view.BlockedNodesOf(p.Id).Count(n => active[n] == ResourceRole.Promoted)))
            .ToList();
        foreach (var node in promoted)
        {
            Set(p.Id, node, ResourceRole.Promoted);
        }

        // The node the instance placed on a node runs on now (see InstanceOrigins).
        string? Origin(string node) => instances.TryGetValue(node, out var instance) ? instance.From : active.ContainsKey(node) ? node : null;

        // An instance that moves onto a node another instance runs on may not see the agent's score there.
        bool SeesAgentScore(string node) => !instances.TryGetValue(node, out var instance) || SeesAgentScoreOn(instance, node, active);
    }

    private static int RoleRank(ResourceRole role) => role switch
    {
        ResourceRole.Promoted => 2,
        ResourceRole.Unpromoted or ResourceRole.Started => 1,
        _ => 0,
    };

    /// <summary>
    /// An instance's own promotion priority on its node: the agent's score (-1 without one, so that only
    /// constraints can make it eligible), the Promoted-role locations, and the Promoted-role
    /// colocations Pacemaker gives each instance: mandatory and negative ones, or all of them when
    /// <paramref name="allColocations"/> (fewer instances than nodes). Where the primary (in the role
    /// asked) is on the node, the score is added; a mandatory one elsewhere rules the node out.
    /// </summary>
    private Score InstancePriority(CloneResource c, Primitive p, string nodeName, bool allColocations, bool agentScore)
    {
        var node = _view.FindNode(nodeName)!;
        var priority = (agentScore && PromotionScoreCounts(p, nodeName) ? PromotionAttribute(node, p.Id) : null) ?? new Score(-1);
        priority += Locations(c.Id, ResourceRole.Promoted)[nodeName] + Locations(p.Id, ResourceRole.Promoted)[nodeName];
        foreach (var col in _byFollower.GetValueOrDefault(c.Id) ?? [])
        {
            if (col.ResourceRole != ResourceRole.Promoted || TopOf(col.WithResource) is not { } primary || primary == c.Id
                || !_placed.Contains(primary) || !(allColocations || col.Score < Score.Zero || col.Score.IsInfinity))
            {
                continue;
            }

            // With a clone (other than a promotable one's role), a mandatory colocation only limits
            // where the instances may be, which placement saw to; it is no part of the priority.
            var withClone = _index.FindResource(primary) is CloneResource primaryClone && !(primaryClone.Promotable && col.WithResourceRole is not null);
            if (WhereIs(PrimaryOf(col), col.WithResourceRole, col.NodeAttribute).Contains(nodeName))
            {
                priority += withClone && col.Score.IsInfinity && !PairsWithInstance(c, col) ? Score.Zero : col.Score;
            }
            else if (col.Score.IsInfinity && !withClone)
            {
                priority = Score.MinusInfinity;
            }
        }

        return priority;
    }

    /// <summary>
    /// Whether an interleaved clone's instance is colocated with the instance of the primary clone on its
    /// own node, as with a primitive: Pacemaker pairs interleaved instances by node, so a mandatory
    /// colocation of the Promoted role with a clone adds INFINITY to the priority of each instance that
    /// has a partner (placement kept the others away), where without interleave it only limits the nodes.
    /// </summary>
    private static bool PairsWithInstance(CloneResource c, ColocationConstraint col) => c.Interleave && col.NodeAttribute is null;

    /// <summary>
    /// Whether the agent's promotion score on a node counts for the instance placed there. Where an
    /// orphan (an instance beyond clone-max) is still active, Pacemaker places another instance on the
    /// node, one it never saw there: the score the agent reported belongs to the orphan, and the placed
    /// instance goes without one. ClusterD keeps the running instance rather than replace it (no
    /// pointless restart) but, like Pacemaker, promotes it only in the next transition.
    /// </summary>
    private bool PromotionScoreCounts(Primitive p, string nodeName) => !ExtraInstances(p).Contains(nodeName);

    /// <summary>
    /// Each instance's rank: a negative priority stays as it is; the others are added to the clone's
    /// own node scores, which then take in the scores of what the Promoted role is colocated with and
    /// of what follows the Promoted role, and the instance takes its node's result.
    /// </summary>
    private Dictionary<string, Score> PromotionRanks(CloneResource c, Dictionary<string, Score> priorities)
    {
        var weights = _placedScores[c.Id].Copy();
        foreach (var (node, priority) in priorities.Where(p => NodeScores.Allows(p.Value)))
        {
            weights.Add(node, priority);
        }

        var merging = new HashSet<string>(StringComparer.Ordinal) { c.Id };
        foreach (var col in _byFollower.GetValueOrDefault(c.Id) ?? [])
        {
            if (col.ResourceRole == ResourceRole.Promoted && TopOf(col.WithResource) is { } primary && primary != c.Id)
            {
                MergeColocatedScores(primary, weights, col.NodeAttribute, Factor(col.Score), onlyPositive: false, rollback: !col.Score.IsInfinity, merging);
            }
        }

        foreach (var col in _byPrimary.GetValueOrDefault(c.Id) ?? [])
        {
            if (col.WithResourceRole == ResourceRole.Promoted && TopOf(col.Resource) is { } dependent && dependent != c.Id && !col.Score.Equals(Score.Zero))
            {
                MergeColocatedScores(dependent, weights, col.NodeAttribute, Factor(col.Score), onlyPositive: true, rollback: true, merging);
            }
        }

        return priorities.ToDictionary(p => p.Key, p => NodeScores.Allows(p.Value) ? weights[p.Key] : p.Value, StringComparer.Ordinal);
    }

    private static double Factor(Score score) => (double)score.Value / Score.InfinityValue;

    /// <summary>
    /// A clone's own node scores, before its instances are placed: its role-less locations, with the
    /// scores of what is colocated with it merged in (only where that does not turn a node negative),
    /// as Pacemaker weighs a clone as a whole.
    /// </summary>
    private NodeScores CloneOwnScores(CloneResource c)
    {
        var scores = CloneLocations(c);
        var merging = new HashSet<string>(StringComparer.Ordinal) { c.Id };
        foreach (var col in _byPrimary.GetValueOrDefault(c.Id) ?? [])
        {
            if (TopOf(col.Resource) is { } dependent && dependent != c.Id && !col.Score.Equals(Score.Zero))
            {
                MergeColocatedScores(dependent, scores, col.NodeAttribute, Factor(col.Score), onlyPositive: true, rollback: true, merging);
            }
        }

        return scores;
    }

    /// <summary>
    /// Merges a resource's node scores into <paramref name="work"/>, scaled by <paramref name="factor"/>,
    /// then, in turn, the scores of what is colocated with that resource (each at its own colocation's
    /// score, with the sign of <paramref name="factor"/>): Pacemaker's way of weighing colocated
    /// resources (<c>pcmk__add_colocated_node_scores</c> in 2.1.5). A resource already being merged is
    /// skipped (a colocation loop); with <paramref name="rollback"/>, a merge that leaves no node
    /// available is dropped.
    /// </summary>
    private void MergeColocatedScores(string id, NodeScores work, string? attribute, double factor, bool onlyPositive, bool rollback, HashSet<string> merging, bool nested = false)
    {
        if (!merging.Add(id))
        {
            return;
        }

        var merged = work.Copy();
        var unusable = new HashSet<string>(StringComparer.Ordinal);
        AddScaledMatching(merged, ScoresToMerge(id), attribute, factor, onlyPositive, unusable);
        if (AnyAvailable(merged))
        {
            var sign = factor < 0 ? -1 : 1;
            foreach (var col in _byPrimary.GetValueOrDefault(id) ?? [])
            {
                if (TopOf(col.Resource) is { } other && other != id && !col.Score.Equals(Score.Zero))
                {
                    MergeColocatedScores(other, merged, col.NodeAttribute, FollowerFactor(id, col, sign, nested), onlyPositive, rollback: true, merging, nested: true);
                }
            }
        }
        else if (rollback)
        {
            merging.Remove(id);
            return;
        }

        foreach (var node in merged.Nodes)
        {
            work[node] = unusable.Contains(node) ? new Score(1) : merged[node];
        }

        merging.Remove(id);
    }

    /// <summary>
    /// The factor a follower of a merged resource is merged at: its colocation's score, with the sign of
    /// the factor that resource was merged at. A group merged first hand (not reached through the
    /// followers of another) is the exception in Pacemaker 2.1.5: what follows the group itself counts
    /// at its own colocation's score whatever the sign, so an anti-colocated group's own anti-colocated
    /// follower does not turn into a pull (nor its bans into a push).
    /// </summary>
    private double FollowerFactor(string id, ColocationConstraint col, int sign, bool nested) =>
        !nested && col.WithResource == id && _index.FindResource(id) is ResourceGroup ? Factor(col.Score) : sign * Factor(col.Score);

    /// <summary>
    /// What merging a resource reads: the scores it was placed with, or its own ones if it is not placed
    /// yet. Those leave out the ban of <c>target-role=Stopped</c>: Pacemaker bans a stopped resource only
    /// when it places it, so until then its preferences still weigh the nodes (a Promoted-role follower
    /// that is stopped still ranks down a node it cannot run on).
    /// </summary>
    private NodeScores ScoresToMerge(string id) =>
        _placedScores.TryGetValue(id, out var placed) ? placed : _index.FindResource(id) switch
        {
            CloneResource clone => CloneLocations(clone),
            Primitive p => WithLocations(Base(p, targetRole: false), p.Id),
            ResourceGroup g => GroupScores(g, targetRole: false),
            var unit => OwnScores(unit!),
        };

    /// <summary>
    /// A clone's role-less locations, and -INFINITY where its child is banned (a failure bans an
    /// anonymous clone as a whole from the node in Pacemaker).
    /// </summary>
    private NodeScores CloneLocations(CloneResource c)
    {
        var scores = Locations(c.Id);
        foreach (var node in _view.Nodes.Where(n => _index.PrimitivesOf(c.Id).Any(p => _view.IsBanned(p.Id, n.Name))))
        {
            scores[node.Name] = Score.MinusInfinity;
        }

        return scores;
    }

    /// <summary>
    /// Adds <paramref name="factor"/> times the other resource's best score among the available nodes
    /// that share each node's value of <paramref name="attribute"/> (the node itself without one),
    /// rounded away from zero and never to zero from a nonzero score; a negative factor never makes a
    /// negative score a preference. <paramref name="onlyPositive"/> leaves a node alone where the sum
    /// would be negative (one that was positive is then marked unusable, and ends at 1).
    /// </summary>
    private void AddScaledMatching(NodeScores work, NodeScores other, string? attribute, double factor, bool onlyPositive, HashSet<string> unusable)
    {
        foreach (var node in work.Nodes)
        {
            var score = BestMatching(other, attribute, node);
            if ((factor < 0 && score < Score.Zero) || unusable.Contains(node))
            {
                continue;
            }

            var scaled = factor * score.Value;
            var weight = (int)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
            if (weight == 0 && score.Value != 0)
            {
                weight = factor > 0 ? 1 : -1;
            }

            var sum = new Score(weight) + work[node];
            if (onlyPositive && sum < Score.Zero && work[node] >= Score.Zero)
            {
                if (work[node] > Score.Zero)
                {
                    unusable.Add(node);
                }

                continue;
            }

            work[node] = sum;
        }
    }

    private Score BestMatching(NodeScores other, string? attribute, string nodeName)
    {
        if (attribute is null)
        {
            return _view.FindNode(nodeName)!.CanRun ? other[nodeName] : Score.MinusInfinity;
        }

        var value = _view.FindNode(nodeName)!.Attributes.GetValueOrDefault(attribute);
        var best = Score.MinusInfinity;
        foreach (var node in _view.Nodes.Where(n => n.CanRun && n.Attributes.GetValueOrDefault(attribute) == value))
        {
            best = other[node.Name] > best ? other[node.Name] : best;
        }

        return best;
    }

    private bool AnyAvailable(NodeScores scores) => _view.Nodes.Any(n => n.CanRun && NodeScores.Allows(scores[n.Name]));
}
