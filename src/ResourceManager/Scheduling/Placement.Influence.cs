using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// Influence: how a resource's followers pull it. Pacemaker merges a follower's node scores into the
// resource it follows, scaled by the colocation's score, and then, in turn, the scores of what follows
// that follower, each merge rolled back when it would leave no node allowed.
internal sealed partial class Placement
{
    /// <summary>
    /// How far below the resource being placed followers' followers still count. Pacemaker follows the
    /// whole chain, which makes a long chain of colocations quadratic; real configurations are a few
    /// levels deep, so a bound keeps a run linear without changing their placement.
    /// </summary>
    private const int InfluenceDepth = 8;

    // Colocations by the exact resource they follow (a group member is not its group here), sorted as
    // Pacemaker lists them; made on first use.
    private Dictionary<string, List<ColocationConstraint>>? _withThis;

    /// <summary>
    /// Merges one follower's scores into <paramref name="scores"/> at <paramref name="factor"/>/INFINITY,
    /// then what follows it, as Pacemaker does:
    /// <list type="bullet">
    /// <item>every node counts, bans too: a follower's -INFINITY at a factor of 100 is -100, and a
    /// negative factor turns the follower's preferences into aversions (its aversions add nothing);</item>
    /// <item>a follower's followers count at their own colocation's score, with the sign of the factor
    /// that brought them in, not at the product of the two;</item>
    /// <item>a group counts through its first member, and each later member through the one before
    /// it at full strength (the members are colocated with INFINITY), so a follower group's later
    /// members weigh as much as the resource's own scores; colocations with the group as a whole add
    /// nothing here;</item>
    /// <item>a merge that leaves no node allowed is rolled back, with what would have followed it;</item>
    /// <item>a clone's scores are never made negative by its followers (<paramref name="unusable"/>,
    /// see <see cref="NodeScores.AddScaled"/>).</item>
    /// </list>
    /// </summary>
    /// <returns>Whether the follower's scores were kept.</returns>
    private bool MergeFollower(NodeScores scores, bool[]? unusable, string follower, Score factor, string? nodeAttribute, HashSet<string> path, int depth)
    {
        var resource = _index.FindResource(follower);
        if (resource is null || !path.Add(follower))
        {
            return false; // a colocation loop: Pacemaker breaks it where it closes
        }

        try
        {
            if (resource is ResourceGroup group)
            {
                return group.Members.Count > 0 && MergeFollower(scores, unusable, group.Members[0], factor, nodeAttribute, path, depth);
            }

            var merged = scores.Copy();
            var mergedUnusable = (bool[]?)unusable?.Clone();
            merged.AddScaled(FollowerScores(resource), factor, nodeAttribute is null ? null : _view.Nodes.Select(n => n.Attributes.GetValueOrDefault(nodeAttribute)).ToArray(), mergedUnusable);
            if (!merged.AnyAllowedBut(mergedUnusable))
            {
                return false;
            }

            if (depth < InfluenceDepth)
            {
                var sign = factor < Score.Zero ? -1 : 1;
                foreach (var (next, score, attribute, member) in FollowersOf(resource))
                {
                    // The next member of a group is part of the same follower: it adds no level.
                    MergeFollower(merged, mergedUnusable, next, new Score(sign * score.Value), attribute, path, member ? depth : depth + 1);
                }
            }

            if (mergedUnusable is not null)
            {
                merged.ReleaseUnusable(mergedUnusable);
                Array.Clear(unusable!);
            }

            scores.CopyFrom(merged);
            return true;
        }
        finally
        {
            path.Remove(follower);
        }
    }

    /// <summary>
    /// What follows <paramref name="resource"/> with some influence, in Pacemaker's order: for a group
    /// member the next member (INFINITY) first, then the colocations with exactly this resource. For a
    /// group's last member, the colocations with the whole group do not count (Pacemaker looks them up
    /// on the member).
    /// </summary>
    private IEnumerable<(string Follower, Score Score, string? NodeAttribute, bool NextMember)> FollowersOf(ResourceDefinition resource)
    {
        if (_index.ParentOf(resource.Id) is ResourceGroup group)
        {
            for (var at = 0; at + 1 < group.Members.Count; at++)
            {
                if (group.Members[at] == resource.Id)
                {
                    yield return (group.Members[at + 1], Score.Infinity, null, true);
                }
            }
        }

        foreach (var c in WithThis(resource.Id))
        {
            if (c.Score != Score.Zero && TopOf(c.Resource) is { } top && !_view.IsUnmanaged(top))
            {
                yield return (c.Resource, c.Score, c.NodeAttribute, false);
            }
        }
    }

    private List<ColocationConstraint> WithThis(string id)
    {
        if (_withThis is null)
        {
            _withThis = new(StringComparer.Ordinal);
            foreach (var c in _view.Config.Colocations)
            {
                if (!_withThis.TryGetValue(c.WithResource, out var list))
                {
                    list = [];
                    _withThis[c.WithResource] = list;
                }

                list.Add(c);
            }

            foreach (var list in _withThis.Values)
            {
                Sort(list, c => c.Resource);
            }
        }

        return _withThis.GetValueOrDefault(id) ?? [];
    }

    /// <summary>
    /// A follower's scores as the resource it follows sees them: its own (a group's first member with
    /// the group's locations, a clone as a whole). <c>target-role=Stopped</c> bans a resource only when
    /// it is placed itself, so one not placed yet still pulls with its preferences.
    /// </summary>
    private NodeScores FollowerScores(ResourceDefinition follower)
    {
        var placed = _placed.Contains(TopOf(follower.Id) ?? follower.Id);
        switch (follower)
        {
            case Primitive p when !placed && _view.TargetRoleOf(p.Id) == ResourceRole.Stopped:
                var scores = WithLocations(Base(p, targetRole: false), p.Id);
                return _index.ParentOf(p.Id) is ResourceGroup g && g.Members[0] == p.Id ? WithLocations(scores, g.Id) : scores;
            case Primitive p:
                return _index.ParentOf(p.Id) is ResourceGroup group && group.Members[0] == p.Id ? WithLocations(PrimitiveScores(p), group.Id) : PrimitiveScores(p);
            case CloneResource c:
                return CloneScores(c, sticky: false, targetRole: placed);
            default:
                return OwnScores(follower);
        }
    }
}
