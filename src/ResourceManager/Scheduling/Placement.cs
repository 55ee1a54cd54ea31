using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// Decides where every primitive instance runs after the transition, and in which role. Top-level
/// resources are placed one at a time: a resource after those it is colocated with, then by
/// <c>priority</c>, then in configuration order. Each takes its best allowed node (score zero or
/// more); clones take up to <c>clone-max</c> nodes and then promote up to <c>promoted-max</c>
/// instances with the highest promotion scores. <see cref="Enforce"/> then applies what placement
/// one resource at a time cannot see: mandatory orders whose first action cannot happen, and
/// colocations whose primary ended up elsewhere.
/// </summary>
internal sealed partial class Placement
{
    private readonly ClusterView _view;
    private readonly ConfigIndex _index;
    private readonly Dictionary<string, Dictionary<string, ResourceRole>> _target;
    private readonly Dictionary<string, int> _load = new(StringComparer.Ordinal);
    private readonly HashSet<string> _placed = new(StringComparer.Ordinal);

    // The score each clone instance was placed with, by clone and node.
    private readonly Dictionary<(string Clone, string Node), Score> _instanceScores = [];
    private readonly Dictionary<string, string> _top;
    private readonly Dictionary<string, NodeScores> _primitiveScores;

    // Colocations by the top-level resource of their follower and of their primary, in configuration order.
    private readonly Dictionary<string, List<ColocationConstraint>> _byFollower = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ColocationConstraint>> _byPrimary = new(StringComparer.Ordinal);

    public Placement(ClusterView view)
    {
        _view = view;
        _index = view.Index;
        var primitives = view.Config.Primitives.Count;
        _target = new(primitives, StringComparer.Ordinal);
        _top = new(primitives + view.Config.Groups.Count + view.Config.Clones.Count, StringComparer.Ordinal);
        _primitiveScores = new(primitives, StringComparer.Ordinal);
        foreach (var c in view.Config.Colocations)
        {
            if (TopOf(c.Resource) is { } follower)
            {
                Add(_byFollower, follower, c);
            }

            if (TopOf(c.WithResource) is { } primary)
            {
                Add(_byPrimary, primary, c);
            }
        }

        foreach (var list in _byFollower.Values)
        {
            Sort(list, c => c.WithResource);
        }

        foreach (var list in _byPrimary.Values)
        {
            Sort(list, c => c.Resource);
        }

        static void Add(Dictionary<string, List<ColocationConstraint>> map, string key, ColocationConstraint c)
        {
            if (!map.TryGetValue(key, out var list))
            {
                list = [];
                map[key] = list;
            }

            list.Add(c);
        }
    }

    /// <summary>
    /// Pacemaker's order for a resource's colocations (which it places first and applies first): by
    /// the other resource's <c>priority</c> (high first), then clones before groups before primitives,
    /// promotable clones before other clones, then by the other resource's id. Stable otherwise.
    /// </summary>
    private void Sort(List<ColocationConstraint> list, Func<ColocationConstraint, string> other)
    {
        var sorted = list
            .OrderByDescending(c => _view.MetaOf(other(c)).GetScore(MetaNames.Priority) ?? Score.Zero)
            .ThenBy(c => _index.FindResource(other(c)) switch
            {
                CloneResource { Promotable: true } => 0,
                CloneResource => 1,
                ResourceGroup => 2,
                _ => 3,
            })
            .ThenBy(other, StringComparer.Ordinal)
            .ToList();
        list.Clear();
        list.AddRange(sorted);
    }

    public IReadOnlyDictionary<string, ResourceRole> TargetOf(string primitive) =>
        _target.TryGetValue(primitive, out var map) ? map : Empty;

    public ResourceRole TargetRole(string primitive, string node) =>
        TargetOf(primitive).TryGetValue(node, out var role) ? role : ResourceRole.Stopped;

    public void Run()
    {
        foreach (var unit in AllocationOrder())
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            switch (unit)
            {
                case Primitive p:
                    PlacePrimitive(p);
                    break;
                case ResourceGroup g:
                    PlaceGroup(g);
                    break;
                case CloneResource c:
                    PlaceClone(c);
                    break;
            }

            _placed.Add(unit.Id);
        }

        Enforce();
    }

    /// <summary>The top-level resource (not inside a group or clone) that contains <paramref name="id"/>.</summary>
    public string? TopOf(string id)
    {
        if (_top.TryGetValue(id, out var top))
        {
            return top;
        }

        var r = _index.FindResource(id);
        if (r is null)
        {
            return null;
        }

        while (_index.ParentOf(r.Id) is { } parent)
        {
            r = parent;
        }

        _top[id] = r.Id;
        return r.Id;
    }

    /// <summary>
    /// Pacemaker's allocation order with its default placement strategy: by <c>priority</c> (high
    /// first), then configuration order; a resource places the resources it is colocated with first,
    /// recursively (a cycle is broken where it closes).
    /// </summary>
    private List<ResourceDefinition> AllocationOrder()
    {
        var units = _index.TopLevel.ToList();
        var byId = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        var result = new List<ResourceDefinition>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // Depth first, with an explicit stack: a chain of thousands of colocations must not exhaust the thread's stack.
        var stack = new Stack<(ResourceDefinition Unit, IEnumerator<string> Primaries)>();
        foreach (var unit in units.OrderByDescending(u => _view.MetaOf(u.Id).GetScore(MetaNames.Priority) ?? Score.Zero))
        {
            if (!seen.Add(unit.Id))
            {
                continue;
            }

            stack.Push((unit, PrimariesOf(unit.Id).GetEnumerator()));
            while (stack.TryPeek(out var top))
            {
                _view.Cancellation.ThrowIfCancellationRequested();
                if (top.Primaries.MoveNext())
                {
                    if (seen.Add(top.Primaries.Current))
                    {
                        var primary = byId[top.Primaries.Current];
                        stack.Push((primary, PrimariesOf(primary.Id).GetEnumerator()));
                    }
                }
                else
                {
                    stack.Pop();
                    result.Add(top.Unit);
                }
            }
        }

        return result;
    }

    /// <summary>The top-level resources <paramref name="unit"/> follows (is colocated with), each once, in configuration order.</summary>
    private IEnumerable<string> PrimariesOf(string unit) =>
        _byFollower.TryGetValue(unit, out var colocations)
            ? colocations.Select(c => TopOf(c.WithResource)).OfType<string>().Where(p => p != unit).Distinct(StringComparer.Ordinal)
            : [];

    /// <summary>Unmanaged or blocked: stays exactly as it is, and the transition leaves it alone.</summary>
    private bool KeepAsIs(Primitive p)
    {
        if (!_view.IsFrozenResource(p.Id))
        {
            return false;
        }

        foreach (var (node, role) in _view.ActiveOf(p.Id))
        {
            Set(p.Id, node, role);
        }

        return true;
    }

    /// <summary>Instances on nodes that must be fenced but cannot be: their resource cannot be recovered.</summary>
    private int Stuck(string primitive) => _view.LostOf(primitive).Keys.Count(n => !_view.FindNode(n)!.Fence);

    private int StuckPromoted(string primitive) =>
        _view.LostOf(primitive).Count(p => p.Value == ResourceRole.Promoted && !_view.FindNode(p.Key)!.Fence);

    private void PlacePrimitive(Primitive p)
    {
        if (KeepAsIs(p) || Stuck(p.Id) > 0)
        {
            return;
        }

        var scores = PrimitiveScores(p);
        ApplyColocations(p, scores, promotion: false);
        AddInfluence(p, scores, promotion: false);
        // The node preferred on a tie is the first where the primitive is active (Pacemaker's "current
        // node": the first in the status), also when it is active on several.
        var active = _view.ActiveOf(p.Id);
        var current = active.Count == 0 ? NoNodes : _view.Nodes.Select(n => n.Name).Where(active.ContainsKey).Take(1).ToHashSet(StringComparer.Ordinal);
        if (scores.Best(current, _load) is { } node)
        {
            Set(p.Id, node, ResourceRole.Started);
        }
    }

    private void PlaceGroup(ResourceGroup g)
    {
        var members = _index.PrimitivesOf(g.Id);
        var managed = members.Where(m => !KeepAsIs(m)).ToList();
        if (managed.Count == 0 || members.Any(m => Stuck(m.Id) > 0))
        {
            return;
        }

        var scores = GroupScores(g, colocate: true);
        AddInfluence(g, scores, promotion: false);
        var current = members.SelectMany(m => _view.ActiveOf(m.Id).Keys).ToHashSet(StringComparer.Ordinal);
        if (scores.Best(current, _load) is not { } node)
        {
            return;
        }

        // Each member follows the one before it: after a member left as it is, the rest may only
        // join it on the one node it runs on (none if it runs on several), as in Pacemaker.
        string? at = node;
        foreach (var member in members)
        {
            if (!managed.Contains(member))
            {
                var active = _view.ActiveOf(member.Id);
                at = active.Count == 1 ? active.Keys.First() : null;
                continue;
            }

            if (at is null || !NodeScores.Allows(PrimitiveScores(member)[at]))
            {
                break;
            }

            Set(member.Id, at, ResourceRole.Started);
        }
    }

    /// <summary>Group members start in order on one node; the first that cannot run there stops the rest.</summary>
    private void PlaceMembers(IEnumerable<Primitive> members, string node, bool promotable = false)
    {
        foreach (var member in members)
        {
            if (!NodeScores.Allows(PrimitiveScores(member)[node]))
            {
                break;
            }

            Set(member.Id, node, promotable ? ResourceRole.Unpromoted : ResourceRole.Started);
        }
    }

    private void PlaceClone(CloneResource c)
    {
        var primitives = _index.PrimitivesOf(c.Id);
        var managed = primitives.Where(p => !KeepAsIs(p)).ToList();
        if (managed.Count == 0)
        {
            return;
        }

        var scores = CloneScores(c);
        BanWhereCloneMayNotRun(c, scores);
        var promotable = c.Promotable && _index.FindResource(c.Child) is Primitive;
        if (promotable)
        {
            AddPromotionScores(scores, managed[0], c.CloneMax ?? _view.Nodes.Count);
        }

        // Pacemaker applies a clone's finite colocations to each instance in turn: one that would leave
        // an instance no node (the others being taken) is rolled back for that instance, so once the
        // nodes they allow are used up, further instances are placed without them.
        var fallback = scores.Copy();
        ApplyColocations(c, fallback, promotion: false, finite: false);
        AddInfluence(c, fallback, promotion: false);
        ApplyColocations(c, scores, promotion: false);
        AddInfluence(c, scores, promotion: false);
        AddInstanceInfluence(c, scores);
        if (promotable)
        {
            ApplyPromotedRoleColocations(c, scores, fallback);
        }

        // An instance beyond clone-max is an orphan: its node is no instance's current node.
        var current = managed.SelectMany(p => _view.ActiveOf(p.Id).Keys.Except(ExtraInstances(p))).ToHashSet(StringComparer.Ordinal);

        // Blocked instances stay as they are, in their slots.
        var blocked = managed.SelectMany(p => _view.BlockedNodesOf(p.Id).Select(n => (p.Id, Node: n))).ToList();
        foreach (var (id, node) in blocked)
        {
            Set(id, node, _view.CurrentRole(id, node));
        }

        var blockedNodes = blocked.Select(b => b.Node).ToHashSet(StringComparer.Ordinal);

        // A blocked orphan (beyond clone-max) stays as it is but takes no instance's place.
        var blockedInstances = blocked.Where(b => !ExtraInstances(managed.First(p => p.Id == b.Id)).Contains(b.Node)).Select(b => b.Node).Distinct().Count();
        var slots = (c.CloneMax ?? _view.Nodes.Count) - managed.Select(p => Stuck(p.Id)).DefaultIfEmpty(0).Max() - blockedInstances;
        var chosen = scores.Nodes.Where(n => NodeScores.Allows(scores[n]) && !blockedNodes.Contains(n))
            .OrderByDescending(n => scores[n])
            .ThenBy(n => current.Contains(n) ? 0 : 1)
            .ThenBy(n => _load.GetValueOrDefault(n))
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(Math.Max(0, slots))
            .ToList();
        chosen.AddRange(fallback.Nodes.Where(n => NodeScores.Allows(fallback[n]) && !blockedNodes.Contains(n) && !chosen.Contains(n))
            .OrderByDescending(n => fallback[n])
            .ThenBy(n => current.Contains(n) ? 0 : 1)
            .ThenBy(n => _load.GetValueOrDefault(n))
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(Math.Max(0, slots - chosen.Count)));
        foreach (var node in chosen)
        {
            _instanceScores[(c.Id, node)] = NodeScores.Allows(scores[node]) ? scores[node] : fallback[node];
            PlaceMembers(managed, node, promotable);
        }

        if (promotable)
        {
            Promote(c, managed[0], chosen);
        }
    }

    /// <summary>
    /// Pacemaker lets an instance run only where the clone as a whole scores zero or more: its
    /// locations without any instance's stickiness, raised by whatever follows it with a positive
    /// score (in any role, as Pacemaker merges them into the clone's own scores). A node the clone's
    /// own scores make negative is banned for every instance, however sticky the one running there.
    /// </summary>
    private void BanWhereCloneMayNotRun(CloneResource c, NodeScores scores)
    {
        var own = CloneScores(c, sticky: false);
        var pulled = own.Copy();
        foreach (var colocation in _byPrimary.GetValueOrDefault(c.Id) ?? [])
        {
            if (TopOf(colocation.Resource) is { } dependentId && dependentId != c.Id && colocation.Score > Score.Zero
                && colocation.NodeAttribute is null && _view.TargetRoleOf(dependentId) != ResourceRole.Stopped && !_view.IsUnmanaged(dependentId))
            {
                pulled.AddScaled(OwnScores(_index.FindResource(dependentId)!), colocation.Score);
            }
        }

        foreach (var node in own.Nodes)
        {
            if (!NodeScores.Allows(own[node]) && !NodeScores.Allows(pulled[node]))
            {
                scores[node] = Score.MinusInfinity;
            }
        }
    }

    /// <summary>
    /// Colocations of the Promoted role already count where Pacemaker places the instances (it cannot
    /// know yet which will be promoted): with a clone, INFINITY keeps each instance to the nodes where
    /// that clone has one; against anything, a negative score pushes the instances off its nodes. Each
    /// instance drops such a colocation when it would leave it no node, except an interleaved clone's
    /// INFINITY one: an instance that finds no instance to pair with is not placed at all. A positive
    /// colocation with a primitive or a group counts only for the promotion.
    /// </summary>
    private void ApplyPromotedRoleColocations(CloneResource c, NodeScores scores, NodeScores fallback)
    {
        foreach (var colocation in _byFollower.GetValueOrDefault(c.Id) ?? [])
        {
            if (colocation.ResourceRole != ResourceRole.Promoted || colocation.NodeAttribute is not null
                || TopOf(colocation.WithResource) is not { } primaryId || primaryId == c.Id)
            {
                continue;
            }

            var primary = _index.FindResource(primaryId);
            if (colocation.Score.IsInfinity && primary is CloneResource primaryClone && !(primaryClone.Promotable && colocation.WithResourceRole is not null))
            {
                var partners = WhereIs(colocation.WithResource, null);
                foreach (var node in scores.Nodes.Where(n => !partners.Contains(n)))
                {
                    scores[node] = Score.MinusInfinity;
                    if (c.Interleave)
                    {
                        fallback[node] = Score.MinusInfinity;
                    }
                }
            }
            else if (colocation.Score < Score.Zero)
            {
                foreach (var node in WhereIs(PrimaryOf(colocation), colocation.WithResourceRole))
                {
                    scores.Add(node, colocation.Score);
                }
            }
        }
    }

    /// <summary>
    /// Promotes up to <c>promoted-max</c> placed instances. The promotion score of an instance is its
    /// agent's score (node attribute <c>master-RSC</c>) plus the clone's location constraints (role-less
    /// ones and those for the Promoted role), colocations of this clone's Promoted role (stickiness does not count), and the
    /// influence of resources colocated with the Promoted role. With an agent score an instance
    /// qualifies at zero or more; without one only when its own constraints (Promoted-role
    /// locations, colocations of the Promoted role) give it more than zero, as in Pacemaker, where
    /// the influence of followers alone promotes nothing.
    /// </summary>
    /// <param name="allocated">The instances' nodes in the order they were placed, which breaks a tie
    /// between instances that are not running yet (Pacemaker promotes the lower-numbered instance).</param>
    private void Promote(CloneResource c, Primitive p, List<string> allocated)
    {
        if (_view.DemoteAll || _view.TargetRoleOf(p.Id) == ResourceRole.Unpromoted || c.PromotedNodeMax < 1)
        {
            return;
        }

        var scores = new NodeScores(_view.NodeNames, Score.MinusInfinity);
        var active = _view.ActiveOf(p.Id);
        var withoutScore = new HashSet<string>(StringComparer.Ordinal); // no agent score: qualifies only by its own constraints
        foreach (var (nodeName, _) in TargetOf(p.Id).Where(t => !_view.IsBlockedOn(p.Id, t.Key)))
        {
            var node = _view.FindNode(nodeName)!;
            var promotedNow = active.TryGetValue(nodeName, out var role) && role == ResourceRole.Promoted;
            if (_view.FailureOf(p.Id, nodeName)?.Kind == FailureKind.Demote || (_view.StartsBlocked && !promotedNow))
            {
                continue;
            }

            if (PromotionAttribute(node, p.Id) is { } score)
            {
                scores[nodeName] = score;
            }
            else
            {
                scores[nodeName] = Score.Zero;
                withoutScore.Add(nodeName);
            }
        }

        AddLocations(scores, c.Id, ResourceRole.Promoted);
        AddLocations(scores, p.Id, ResourceRole.Promoted);
        ApplyColocations(c, scores, promotion: true);
        withoutScore.RemoveWhere(n => scores[n] > Score.Zero);

        // Pacemaker adds the clone's node weights, and so its role-less locations, to the promotion
        // scores; they rank instances but make none without an agent score eligible.
        AddLocations(scores, c.Id);
        AddInfluence(c, scores, promotion: true);
        var promoted = scores.Nodes.Where(n => !withoutScore.Contains(n) && NodeScores.Allows(scores[n]))
            .OrderByDescending(n => scores[n])
            .ThenBy(n => active.TryGetValue(n, out var r) && r == ResourceRole.Promoted ? 0 : 1)
            .ThenBy(n => active.ContainsKey(n) ? 0 : 1)
            .ThenBy(n => allocated.IndexOf(n) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(Math.Max(0, c.PromotedMax - StuckPromoted(p.Id) - _view.BlockedNodesOf(p.Id).Count(n => active[n] == ResourceRole.Promoted)));
        foreach (var node in promoted)
        {
            Set(p.Id, node, ResourceRole.Promoted);
        }
    }

    /// <summary>Sets an instance's role; a new instance adds one to its node's load (Pacemaker counts every primitive instance assigned).</summary>
    private void Set(string primitive, string node, ResourceRole role)
    {
        if (!_target.TryGetValue(primitive, out var map))
        {
            map = new Dictionary<string, ResourceRole>(StringComparer.Ordinal);
            _target[primitive] = map;
        }

        if (map.TryAdd(node, role))
        {
            _load[node] = _load.GetValueOrDefault(node) + 1;
        }

        map[node] = role;
    }

    private static readonly Dictionary<string, ResourceRole> Empty = new(StringComparer.Ordinal);

    private static readonly HashSet<string> NoNodes = new(StringComparer.Ordinal);
}
