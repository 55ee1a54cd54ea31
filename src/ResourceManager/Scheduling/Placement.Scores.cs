using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Scheduling;

// How much each node is worth to a resource: location constraints and rules, opt-in clusters,
// stickiness, bans from failures and fail counts, colocations (this resource following another) and
// influence (resources that follow this one pulling it towards where they would like to be).
internal sealed partial class Placement
{
    /// <summary>
    /// A primitive's own scores: where it may run at all, plus stickiness; no location constraints.
    /// Without <paramref name="targetRole"/>, <c>target-role=Stopped</c> bans nothing (Pacemaker bans a
    /// stopped resource only when it places it).
    /// </summary>
    private NodeScores Base(Primitive p, bool sticky = true, bool targetRole = true)
    {
        var scores = new NodeScores(_view.NodeNames, Score.MinusInfinity);
        if (_view.StopAll || (_view.DemoteAll && !_index.IsPromotable(p.Id)) || (targetRole && _view.TargetRoleOf(p.Id) == ResourceRole.Stopped) || _view.StoppedByFailure(p.Id)
            || _view.MultipleActiveOf(p.Id) == MultipleActivePolicy.StopOnly)
        {
            return scores;
        }

        var active = _view.ActiveOf(p.Id);
        // Pacemaker makes a resource sticky only where it is active on one node: a multiply active
        // primitive gets no stickiness at all (each clone instance is on one node).
        // An instance on a lost node still counts as active there.
        var stickiness = sticky && (active.Count + _view.LostOf(p.Id).Count == 1 || _index.CloneOf(p.Id) is not null) ? _view.StickinessOf(p.Id) : Score.Zero;
        var extra = ExtraInstances(p);
        foreach (var node in _view.Nodes)
        {
            if (!node.CanRun || _view.IsBanned(p.Id, node.Name) || (_view.StartsBlocked && !active.ContainsKey(node.Name))
                || (!_view.Config.Properties.IsSymmetricCluster && !EnabledOptIn(p.Id, node)))
            {
                continue;
            }

            scores[node.Name] = active.ContainsKey(node.Name) && !extra.Contains(node.Name) ? stickiness : Score.Zero;
        }

        return scores;
    }

    /// <summary>
    /// Nodes of a clone's active instances beyond <c>clone-max</c> (the first ones by node keep their
    /// instance): Pacemaker numbers only <c>clone-max</c> instances, and the others are orphans, with
    /// neither stickiness nor a promotion score where they run.
    /// </summary>
    private HashSet<string> ExtraInstances(Primitive p)
    {
        var active = _view.ActiveOf(p.Id);
        if (_index.CloneOf(p.Id) is not { } clone || active.Count <= (clone.CloneMax ?? int.MaxValue))
        {
            return NoNodes;
        }

        return _view.Nodes.Select(n => n.Name).Where(active.ContainsKey).Skip(clone.CloneMax!.Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// In an opt-in cluster, a node is allowed when a location constraint names it for the resource or a
    /// parent, with any score but -INFINITY: a negative one puts it in with that score, which
    /// colocations may still raise (Pacemaker's allowed nodes).
    /// </summary>
    private bool EnabledOptIn(string id, NodeState node)
    {
        for (var r = _index.FindResource(id); r is not null; r = _index.ParentOf(r.Id))
        {
            foreach (var location in _index.LocationsOf(r.Id).Where(l => l.Role is null or ResourceRole.Started))
            {
                if (location.HasRules
                    ? location.Rules.Any(rule => rule.Role is null or ResourceRole.Started && rule.Matches(node.Attributes) && !rule.ScoreFor(node.Attributes).IsMinusInfinity)
                    : location.Node == node.Name && !location.Score.IsMinusInfinity)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The location constraints set on exactly this resource: role-less ones, or only those for <paramref name="role"/>.</summary>
    private NodeScores Locations(string id, ResourceRole? role = null)
    {
        var scores = new NodeScores(_view.NodeNames, Score.Zero);
        foreach (var location in _index.LocationsOf(id))
        {
            foreach (var node in _view.Nodes)
            {
                if (location.HasRules)
                {
                    foreach (var rule in location.Rules)
                    {
                        var ruleRole = rule.Role ?? location.Role;
                        if (SameRole(ruleRole, role) && rule.Matches(node.Attributes))
                        {
                            scores.Add(node.Name, rule.ScoreFor(node.Attributes));
                        }
                    }
                }
                else if (location.Node == node.Name && SameRole(location.Role, role))
                {
                    scores.Add(node.Name, location.Score);
                }
            }
        }

        return scores;
    }

    private static bool SameRole(ResourceRole? constraintRole, ResourceRole? wanted) => wanted is null
        ? constraintRole is null or ResourceRole.Started
        : constraintRole == wanted;

    /// <summary>A primitive with its own locations.</summary>
    private NodeScores PrimitiveScores(Primitive p)
    {
        // The same for the whole run (nothing it depends on changes while placing): worked out once, copied out.
        if (!_primitiveScores.TryGetValue(p.Id, out var scores))
        {
            scores = Base(p);
            AddLocations(scores, p.Id);
            _primitiveScores[p.Id] = scores;
        }

        return scores.Copy();
    }

    private NodeScores WithLocations(NodeScores scores, string id)
    {
        AddLocations(scores, id);
        return scores;
    }

    /// <summary>Adds the location constraints set on exactly this resource (<see cref="Locations"/>), if it has any.</summary>
    private void AddLocations(NodeScores scores, string id, ResourceRole? role = null)
    {
        if (_index.LocationsOf(id).Count > 0)
        {
            scores.AddAll(Locations(id, role));
        }
    }

    /// <summary>
    /// A group, as Pacemaker places it through its first member: that member's scores with the group's
    /// own locations (and, with <paramref name="colocate"/>, the group's colocations), then each later
    /// member's scores merged in order, up to the first that would leave no node allowed (it and
    /// the members after it are left out: each member is colocated with the one before). Without
    /// <paramref name="targetRole"/>, <c>target-role=Stopped</c> bans no member (as <see cref="Base"/>).
    /// </summary>
    private NodeScores GroupScores(ResourceGroup g, bool colocate = false, bool targetRole = true) =>
        GroupScores(g, colocate, targetRole, out _);

    /// <summary><see cref="GroupScores(ResourceGroup, bool, bool)"/>, and whether every later member's scores were merged.</summary>
    private NodeScores GroupScores(ResourceGroup g, bool colocate, bool targetRole, out bool allMembers)
    {
        allMembers = true;
        var members = _index.PrimitivesOf(g.Id);
        NodeScores MemberScores(Primitive m) => targetRole ? PrimitiveScores(m) : WithLocations(Base(m, targetRole: false), m.Id);
        var scores = members.Count == 0 ? new NodeScores(_view.NodeNames, Score.MinusInfinity) : MemberScores(members[0]);
        AddLocations(scores, g.Id);
        if (colocate)
        {
            ApplyColocations(g, scores, promotion: false);
        }

        foreach (var member in members.Skip(1))
        {
            if (!scores.Merge(MemberScores(member)))
            {
                allMembers = false;
                break;
            }
        }

        return scores;
    }

    /// <summary>A top-level resource's scores before colocations: what a resource that follows it adds as influence.</summary>
    private NodeScores OwnScores(ResourceDefinition unit) => unit switch
    {
        Primitive p => PrimitiveScores(p),
        ResourceGroup g => GroupScores(g),
        CloneResource c => CloneScores(c, sticky: false),
        _ => throw new InvalidOperationException(unit.GetType().Name),
    };

    /// <summary>
    /// A clone's scores: its child's and its own locations. Without <paramref name="sticky"/>, the
    /// clone as a whole, as a resource following it sees it: stickiness belongs to its instances
    /// (Pacemaker's clone-level node scores carry none). Without <paramref name="targetRole"/>, as a
    /// resource it follows sees it before it is placed: not yet banned by <c>target-role=Stopped</c>.
    /// </summary>
    private NodeScores CloneScores(CloneResource c, bool sticky = true, bool targetRole = true)
    {
        var scores = _index.FindResource(c.Child) switch
        {
            Primitive p when !sticky => WithLocations(Base(p, sticky: false, targetRole), p.Id),
            Primitive p => PrimitiveScores(p),
            ResourceGroup g => GroupScores(g),
            _ => new NodeScores(_view.NodeNames, Score.MinusInfinity),
        };
        AddLocations(scores, c.Id);
        return scores;
    }

    /// <summary>
    /// Colocations in which this resource follows another: INFINITY keeps it to the nodes where the
    /// other is (in the role asked), -INFINITY keeps it away, other scores add. With
    /// <paramref name="promotion"/>, only those for this resource's Promoted role; else the others.
    /// Without <paramref name="finite"/>, only INFINITY and -INFINITY ones.
    /// </summary>
    private void ApplyColocations(ResourceDefinition unit, NodeScores scores, bool promotion, bool finite = true)
    {
        foreach (var c in _byFollower.GetValueOrDefault(unit.Id) ?? NoColocations)
        {
            if (TopOf(c.WithResource) == unit.Id || (c.ResourceRole == ResourceRole.Promoted) != promotion
                || (!finite && !c.Score.IsInfinity && !c.Score.IsMinusInfinity))
            {
                continue;
            }

            var where = WherePrimaryIs(c);

            // With a clone, a finite score is applied once per instance, each rolled back on its own
            // if it would leave no node allowed (Pacemaker colocates with each instance in turn). With
            // a role of the clone, Pacemaker applies it to the nodes of the instances in that role at
            // once, rolled back as a whole (below).
            if (!c.Score.IsInfinity && !c.Score.IsMinusInfinity && c.WithResourceRole is null or ResourceRole.Started
                && _index.FindResource(TopOf(c.WithResource) ?? c.WithResource) is CloneResource)
            {
                foreach (var node in InInstanceOrder(TopOf(c.WithResource) ?? c.WithResource, where))
                {
                    var one = scores.Copy();
                    one.Add(node, c.Score);
                    if (one.AnyAllowed)
                    {
                        scores[node] = one[node];
                    }
                }

                SubtractForUnplacedInstances(c, scores);
                continue;
            }

            // Placing with a role of a promotable clone, INFINITY also adds the score the instance in
            // that role was placed with (Pacemaker merges the chosen node's weight), except when both
            // sides name the Promoted role (that one only counts for the promotion).
            var primaryClone = TopOf(c.WithResource) is { } top && _index.FindResource(top) is CloneResource { Promotable: true } ? top : null;
            var addInstanceScore = !promotion && c.Score.IsInfinity && primaryClone is not null && c.WithResourceRole is not null
                && !(c.ResourceRole == ResourceRole.Promoted && c.WithResourceRole == ResourceRole.Promoted);
            var applied = scores.Copy();
            foreach (var node in applied.Nodes.ToList())
            {
                var there = where.Contains(node);
                if (c.Score.IsInfinity && !there)
                {
                    applied[node] = Score.MinusInfinity;
                }
                else if (addInstanceScore && _instanceScores.TryGetValue((primaryClone!, node), out var instanceScore))
                {
                    applied.Add(node, instanceScore);
                }
                else if (there && (promotion || !c.Score.IsInfinity))
                {
                    // Placing, INFINITY only bans the other nodes (Pacemaker adds only scores below it).
                    applied.Add(node, c.Score);
                }
            }

            // A finite colocation that would leave no node allowed is rolled back, as Pacemaker does.
            if (c.Score.IsInfinity || c.Score.IsMinusInfinity || applied.AnyAllowed)
            {
                scores.CopyFrom(applied);
            }
        }
    }

    /// <summary>
    /// A positive finite colocation with a clone also counts the clone's instances that got no node:
    /// Pacemaker colocates with each instance in turn, and one that is stopped takes the score off
    /// every node, each instance rolled back on its own if that would leave no node allowed. Only
    /// without roles (a stopped instance is in no role) and once the clone is placed.
    /// </summary>
    private void SubtractForUnplacedInstances(ColocationConstraint c, NodeScores scores)
    {
        var cloneId = TopOf(c.WithResource) ?? c.WithResource;
        if (c.Score <= Score.Zero || !_placed.Contains(cloneId) || _index.FindResource(cloneId) is not CloneResource clone
            || c.WithResourceRole is not (null or ResourceRole.Started) || c.ResourceRole is not (null or ResourceRole.Started))
        {
            return;
        }

        var unplaced = (clone.CloneMax ?? _view.Nodes.Count) - WhereIs(cloneId, role: null).Count;
        for (var i = 0; i < unplaced; i++)
        {
            var one = scores.Copy();
            foreach (var node in one.Nodes.ToList())
            {
                one.Add(node, -c.Score);
            }

            if (!one.AnyAllowed)
            {
                return;
            }

            scores.CopyFrom(one);
        }
    }

    /// <summary>
    /// Influence: resources colocated with this one add their own preferences (scaled by the
    /// colocation score, negative ones too), and what follows them theirs (<see cref="MergeFollower"/>),
    /// so a resource goes where what follows it can run too. For <paramref name="promotion"/>, those
    /// colocated with this resource's Promoted role.
    /// </summary>
    /// <param name="groupFollowers">For a group, whether what follows the group as a whole counts (<see cref="FollowsOnlyTheLastMember"/>).</param>
    private void AddInfluence(ResourceDefinition unit, NodeScores scores, bool promotion, bool groupFollowers = true)
    {
        HashSet<string>? path = null;

        // A clone's scores are merged without making any node negative (Pacemaker's rule for a clone as a whole).
        var unusable = unit is CloneResource ? new bool[scores.Nodes.Count] : null;
        foreach (var c in _byPrimary.GetValueOrDefault(unit.Id) ?? NoColocations)
        {
            if (TopOf(c.Resource) is not { } dependentId || dependentId == unit.Id
                || (c.WithResourceRole == ResourceRole.Promoted) != promotion || c.Score == Score.Zero)
            {
                continue;
            }

            var dependent = _index.FindResource(dependentId)!;

            // A clone's instances are not pulled as a whole by a resource that is not a clone (Pacemaker
            // cannot know which instance it will be with), except its promotion by a resource following
            // the Promoted role; see AddInstanceInfluence for how they are pulled one by one.
            if (unit is CloneResource && dependent is not CloneResource && !promotion)
            {
                continue;
            }

            if (_view.IsUnmanaged(dependentId) || (!groupFollowers && FollowsOnlyTheLastMember(unit, c)))
            {
                continue;
            }

            path ??= [unit.Id, .. _index.PrimitivesOf(unit.Id).Select(p => p.Id)];
            MergeFollower(scores, unusable, c.Resource, c.Score, c.NodeAttribute, path, depth: 0);
        }
    }

    /// <summary>
    /// What is colocated with a group as a whole pulls the group through its last member: Pacemaker
    /// merges each later member's scores into the first member's in turn, and the last member's
    /// followers after it. When a member's merge is dropped (it would leave no node allowed), what
    /// follows the group is dropped with it.
    /// </summary>
    private static bool FollowsOnlyTheLastMember(ResourceDefinition unit, ColocationConstraint c) =>
        unit is ResourceGroup { Members.Count: > 1 } && c.WithResource == unit.Id;

    /// <summary>
    /// What follows a clone also pulls and pushes each of its instances, as Pacemaker hands the clone's
    /// colocations down to every instance: all of them when the clone has fewer instances than nodes
    /// it could run on (where an instance goes then matters to them), only the negative ones when it
    /// runs everywhere. Unlike the clone's own scores (<see cref="AddPositively"/>), bans count here.
    /// Each is dropped for an instance it would leave no node: these go into the scores an instance
    /// is placed with first, not into those it falls back to. A follower of the Promoted role counts
    /// here too: Pacemaker cannot know yet which instance will be promoted, so it pulls every one.
    /// </summary>
    private void AddInstanceInfluence(CloneResource clone, NodeScores scores)
    {
        var everywhere = (clone.CloneMax ?? int.MaxValue) >= AvailableNodes(clone);
        foreach (var c in _byPrimary.GetValueOrDefault(clone.Id) ?? [])
        {
            if (TopOf(c.Resource) is not { } dependentId || dependentId == clone.Id
                || c.NodeAttribute is not null
                || (everywhere && c.Score >= Score.Zero) || c.Score == Score.Zero)
            {
                continue;
            }

            var dependent = _index.FindResource(dependentId)!;
            // A primitive stopped by target-role still pulls with its preferences until it is placed itself.
            var stopped = _view.TargetRoleOf(dependentId) == ResourceRole.Stopped;
            if ((stopped && (dependent is not Primitive || _placed.Contains(dependentId))) || _view.IsUnmanaged(dependentId))
            {
                continue;
            }

            var own = dependent is Primitive ? FollowerScores(dependent) : OwnScores(dependent);
            if (c.Score.IsInfinity)
            {
                scores.Merge(own);
                continue;
            }

            // Pushed away, a group counts with its first member's scores: its later members, each
            // colocated with the one before, would push the instance off every node and are dropped.
            var pulled = scores.Copy();
            pulled.AddScaled(dependent is ResourceGroup g && c.Score < Score.Zero ? FirstMemberScores(g) : own, c.Score);
            if (pulled.AnyAllowed)
            {
                scores.CopyFrom(pulled);
            }
        }
    }

    private NodeScores FirstMemberScores(ResourceGroup g)
    {
        var members = _index.PrimitivesOf(g.Id);
        return members.Count == 0 ? new NodeScores(_view.NodeNames, Score.MinusInfinity) : WithLocations(PrimitiveScores(members[0]), g.Id);
    }

    /// <summary>The nodes a clone could have an instance on at all: online, not in standby, and in an opt-in cluster enabled for it.</summary>
    private int AvailableNodes(CloneResource clone) =>
        _view.Nodes.Count(n => n.CanRun && (_view.Config.Properties.IsSymmetricCluster || EnabledOptIn(clone.Child, n)));

    /// <summary>
    /// What a colocation's follower is placed with: the primary itself, or for a group its last member
    /// when the colocation is mandatory (the whole group must be up there) and its first member
    /// otherwise (a partly active group will do), as Pacemaker colocates with a group.
    /// </summary>
    private string PrimaryOf(ColocationConstraint c) =>
        _index.FindResource(c.WithResource) is ResourceGroup g && g.Members.Count > 0
            ? (c.Score.IsInfinity ? g.Members[^1] : g.Members[0])
            : c.WithResource;

    /// <summary>Nodes where a resource will be (in a role): from the placement if it was placed, else where it is now.</summary>
    private HashSet<string> WhereIs(string id, ResourceRole? role, string? nodeAttribute = null, bool unblockedOnly = false)
    {
        var placed = _placed.Contains(TopOf(id) ?? id);
        var nodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in _index.PrimitivesOf(id))
        {
            var instances = placed ? TargetOf(p.Id) : _view.ActiveOf(p.Id);
            var counted = FrozenOnFirstNodeOnly(p.Id, instances);
            foreach (var (node, r) in instances)
            {
                if (counted is not null && node != counted)
                {
                    continue;
                }

                if (unblockedOnly && placed && IsBlockedCloneInstance(p.Id, node))
                {
                    continue;
                }

                if (role is null or ResourceRole.Started || r == role || (role == ResourceRole.Unpromoted && r == ResourceRole.Started))
                {
                    nodes.Add(node);
                }
            }
        }

        if (nodeAttribute is null)
        {
            return nodes;
        }

        var values = _view.Nodes.Where(n => nodes.Contains(n.Name) && n.Attributes.ContainsKey(nodeAttribute)).Select(n => n.Attributes[nodeAttribute]).ToHashSet(StringComparer.Ordinal);
        return _view.Nodes.Where(n => n.Attributes.TryGetValue(nodeAttribute, out var v) && values.Contains(v)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Where a colocation's primary will be. A mandatory colocation with a clone counts only the
    /// instances that are not blocked: one left alone after a failure nothing may recover (a stop that
    /// failed without fencing, <c>on-fail=block</c>) stays where it runs, so it still keeps away what
    /// must not be with it, but Pacemaker will not start what must be with the clone next to it.
    /// </summary>
    private HashSet<string> WherePrimaryIs(ColocationConstraint c) =>
        WhereIs(PrimaryOf(c), c.WithResourceRole, c.NodeAttribute, unblockedOnly: c.Score.IsInfinity);

    /// <summary>
    /// A primitive (no clone's) left alone where it is multiply active stays on all its nodes, but
    /// Pacemaker assigns it to one only, the first it was found active on: what is colocated with it
    /// counts that node alone, and so does the load. Null when every node counts.
    /// </summary>
    private string? FrozenOnFirstNodeOnly(string primitive, IReadOnlyDictionary<string, ResourceRole> instances) =>
        instances.Count > 1 && _index.CloneOf(primitive) is null && IsLeftAlone(primitive)
            ? _view.Nodes.Select(n => n.Name).First(instances.ContainsKey)
            : null;

    private bool IsBlockedCloneInstance(string primitive, string node) =>
        _index.CloneOf(primitive) is not null && _view.FailureOf(primitive, node)?.Kind == FailureKind.Block;

    /// <summary>
    /// Where a promotable clone's instances go, Pacemaker adds each node's positive promotion score
    /// (<c>master-RSC</c>) to that node's score, on nodes that can run it where the score applies to
    /// the instance that would be there: the one active there, else one that was probed there or has
    /// no history anywhere yet (<c>pcmk__add_promotion_scores</c>). So a clone with fewer instances
    /// than nodes moves them towards the nodes the agent prefers.
    /// </summary>
    private void AddPromotionScores(NodeScores scores, Primitive p, int cloneMax)
    {
        var active = _view.ActiveOf(p.Id);
        var extra = ExtraInstances(p);
        var history = _view.HistoryOf(p.Id);
        var inactiveHistory = history.Any(n => !active.ContainsKey(n)) ? 1 : 0;
        var freshInstance = cloneMax > active.Count + inactiveHistory;
        foreach (var node in _view.Nodes)
        {
            if (!node.CanRun || !NodeScores.Allows(scores[node.Name])
                || PromotionAttribute(node, p.Id) is not { } score || score <= Score.Zero)
            {
                continue;
            }

            if (extra.Contains(node.Name))
            {
                continue;
            }

            if (active.ContainsKey(node.Name) || history.Contains(node.Name) || freshInstance)
            {
                scores.Add(node.Name, score);
            }
        }
    }

    /// <summary>The promotion score an agent reported for a primitive on a node (<c>master-RSC</c>), if any.</summary>
    private static Score? PromotionAttribute(NodeState node, string primitive) =>
        node.Attributes.TryGetValue(NodeStatus.PromotionAttribute(primitive), out var text) && Score.TryParse(text, out var s) ? s : null;
}
