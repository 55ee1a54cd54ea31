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
    private readonly HashSet<string> _placed;
    private readonly HashSet<string>?[] _onlyNode; // by node position: the set of that one node (FirstNodeOf)

    // Group members kept exactly as they are because a member after them is left alone (HoldMembersBefore).
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

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
        _onlyNode = new HashSet<string>?[view.Nodes.Count];
        _placed = new(view.Config.Primitives.Count + view.Config.Groups.Count + view.Config.Clones.Count, StringComparer.Ordinal);
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
        if (list.Count < 2)
        {
            return; // most resources have one colocation at most
        }

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

    /// <summary>
    /// A primitive the transition leaves alone: unmanaged or blocked (<see cref="ClusterView.IsFrozenResource"/>),
    /// or a group member held where it runs by a member after it that is (<see cref="HoldMembersBefore"/>).
    /// </summary>
    public bool IsLeftAlone(string primitive) => _view.IsFrozenResource(primitive) || _held.Contains(primitive);

    public ResourceRole TargetRole(string primitive, string node) =>
        TargetOf(primitive).TryGetValue(node, out var role) ? role : ResourceRole.Stopped;

    public void Run()
    {
        HoldFirstsOfThensThatCannotStop();
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

        HoldForPendingNodes();
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
        var result = new List<ResourceDefinition>(units.Count);
        var seen = new HashSet<string>(units.Count, StringComparer.Ordinal);

        // Depth first, with an explicit stack: a chain of thousands of colocations must not exhaust the thread's stack.
        var stack = new Stack<(ResourceDefinition Unit, IEnumerator<string> Primaries)>();
        foreach (var unit in ByPriority(units))
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
                        var primary = _index.FindResource(top.Primaries.Current)!;
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

    /// <summary>
    /// <paramref name="units"/> by <c>priority</c>, high first, in their order otherwise (a stable sort).
    /// Usually no priority differs, and then they are taken as they are, without sorting thousands.
    /// </summary>
    private IEnumerable<ResourceDefinition> ByPriority(List<ResourceDefinition> units)
    {
        var previous = Score.Infinity;
        foreach (var unit in units)
        {
            var priority = PriorityOf(unit);
            if (priority > previous)
            {
                return units.OrderByDescending(PriorityOf);
            }

            previous = priority;
        }

        return units;

        Score PriorityOf(ResourceDefinition unit) => _view.MetaOf(unit.Id).GetScore(MetaNames.Priority) ?? Score.Zero;
    }

    /// <summary>The top-level resources <paramref name="unit"/> follows (is colocated with), each once, in configuration order.</summary>
    private IEnumerable<string> PrimariesOf(string unit) =>
        _byFollower.TryGetValue(unit, out var colocations)
            ? colocations.Select(c => TopOf(c.WithResource)).OfType<string>().Where(p => p != unit).Distinct(StringComparer.Ordinal)
            : [];

    /// <summary>
    /// Unmanaged, blocked, or held by an order whose "then" cannot stop (<see cref="HoldFirstsOfThensThatCannotStop"/>):
    /// stays exactly as it is, and the transition leaves it alone.
    /// </summary>
    private bool KeepAsIs(Primitive p)
    {
        if (!IsLeftAlone(p.Id))
        {
            return false;
        }

        // Multiply active, it is assigned its first node only: the others carry none of its load.
        var active = _view.ActiveOf(p.Id);
        var assigned = FrozenOnFirstNodeOnly(p.Id, active);
        foreach (var (node, role) in active)
        {
            Set(p.Id, node, role, countsLoad: assigned is null || node == assigned);
        }

        return true;
    }

    /// <summary>Instances on nodes that must be fenced but cannot be: their resource cannot be recovered.</summary>
    private int Stuck(string primitive)
    {
        var lost = _view.LostOf(primitive);
        return lost.Count == 0 ? 0 : lost.Keys.Count(n => !_view.FindNode(n)!.Fence);
    }

    private int StuckPromoted(string primitive)
    {
        var lost = _view.LostOf(primitive);
        return lost.Count == 0 ? 0 : lost.Count(p => p.Value == ResourceRole.Promoted && !_view.FindNode(p.Key)!.Fence);
    }

    private void PlacePrimitive(Primitive p)
    {
        if (KeepAsIs(p) || Stuck(p.Id) > 0)
        {
            return;
        }

        var scores = PrimitiveScores(p);
        ApplyColocations(p, scores, promotion: false);
        AddInfluence(p, scores, promotion: false);
        _placedScores[p.Id] = scores;
        // The node preferred on a tie is the first where the primitive is active (Pacemaker's "current
        // node": the first in the status), also when it is active on several.
        var active = _view.ActiveOf(p.Id);
        var current = active.Count == 0 ? NoNodes : FirstNodeOf(active);
        if (scores.Best(current, _load) is { } node)
        {
            Set(p.Id, node, ResourceRole.Started);
        }
    }

    /// <summary>The first node, in the run's node order, among <paramref name="nodes"/>, as a set of one (made once per node: it is only read).</summary>
    private HashSet<string> FirstNodeOf(IReadOnlyDictionary<string, ResourceRole> nodes)
    {
        for (var i = 0; i < _view.Nodes.Count; i++)
        {
            if (nodes.ContainsKey(_view.Nodes[i].Name))
            {
                return _onlyNode[i] ??= new HashSet<string>([_view.Nodes[i].Name], StringComparer.Ordinal);
            }
        }

        return NoNodes;
    }

    private void PlaceGroup(ResourceGroup g)
    {
        var members = _index.PrimitivesOf(g.Id);
        var managed = members.Where(m => !KeepAsIs(m)).ToList();
        if (managed.Count == 0 || members.Any(m => Stuck(m.Id) > 0))
        {
            return;
        }

        HoldMembersBefore(members, managed);

        var scores = GroupScores(g, colocate: true, targetRole: true, out var allMembers);
        AddInfluence(g, scores, promotion: false, groupFollowers: allMembers);
        _placedScores[g.Id] = scores;
        // Pacemaker places a group through its first member: the node preferred on a tie is where that
        // member runs (the first such node in the status), not where the later ones do.
        var first = _view.ActiveOf(members[0].Id);
        var current = first.Count == 0 ? NoNodes : _view.Nodes.Select(n => n.Name).Where(first.ContainsKey).Take(1).ToHashSet(StringComparer.Ordinal);
        if (scores.Best(current, _load) is not { } node)
        {
            return;
        }

        // Each member follows the one before it: after a member left as it is, the rest may only
        // join it on the one node it runs on (none if it runs on several), as in Pacemaker.
        string? at = node;
        var afterBlocked = false;
        foreach (var member in members)
        {
            if (_held.Contains(member.Id))
            {
                continue;
            }

            if (!managed.Contains(member))
            {
                // A member blocked by a failed stop would need a recovery that cannot happen: the
                // members after it, which must start after it, stop (Pacemaker: "required ... start").
                var active = _view.ActiveOf(member.Id);
                at = active.Count == 1 ? active.Keys.First() : null;
                afterBlocked = at is not null && _view.FailureOf(member.Id, at)?.Kind == FailureKind.Block;
                continue;
            }

            if (at is null || !NodeScores.Allows(PrimitiveScores(member)[at]))
            {
                break;
            }

            if (afterBlocked)
            {
                CountAssignedButStopped(at);
                continue;
            }

            Set(member.Id, at, ResourceRole.Started);
        }
    }

    /// <summary>
    /// A group member after a blocked one stops, but only because its start must wait for a start of
    /// the blocked member that cannot happen: Pacemaker still assigns it to the blocked member's node,
    /// so it counts in that node's load for the resources placed after it.
    /// </summary>
    private void CountAssignedButStopped(string node) => _load[node] = _load.GetValueOrDefault(node) + 1;

    /// <summary>
    /// A group's members stop in reverse order, each after the members behind it. A member left as it is
    /// (unmanaged, blocked) while it runs never stops, so the running members right before it cannot
    /// stop either: they stay exactly as they are, neither moved nor recovered, as in Pacemaker, where
    /// their stops are unrunnable. A member that does not run needs no stop and breaks the chain.
    /// </summary>
    private void HoldMembersBefore(IReadOnlyList<Primitive> members, List<Primitive> managed)
    {
        for (var i = members.Count - 1; i > 0; i--)
        {
            if (managed.Contains(members[i]) || _view.ActiveOf(members[i].Id).Count == 0)
            {
                continue;
            }

            for (var j = i - 1; j >= 0 && managed.Contains(members[j]) && _view.ActiveOf(members[j].Id).Count > 0; j--)
            {
                if (_held.Add(members[j].Id))
                {
                    foreach (var (node, role) in _view.ActiveOf(members[j].Id))
                    {
                        Set(members[j].Id, node, role);
                    }
                }
            }
        }
    }

    /// <summary>
    /// A mandatory order stops its "then" before its "first". Where "then" runs and cannot stop (blocked
    /// by a failed stop nobody may recover, or held itself) it never stops, so "first" may not stop either: it stays
    /// exactly as it is on every node it runs on, neither moved, restarted nor stopped as a duplicate,
    /// as in Pacemaker, where its stops are unrunnable ("Stop r4 (n1) blocked"). What is held so holds
    /// what is ordered before it in turn (a worklist over the orders by their "then", so a long chain
    /// stays linear). Orders between resources outside clones, start then start (the reverse of
    /// other actions, and clone instances, are not held this way).
    /// </summary>
    private void HoldFirstsOfThensThatCannotStop()
    {
        Dictionary<string, List<OrderConstraint>>? byThen = null;
        foreach (var o in _view.Config.Orders)
        {
            if (o.EffectiveKind == OrderKind.Mandatory && o.IsSymmetrical
                && o.EffectiveFirstAction == ResourceAction.Start && o.EffectiveThenAction == ResourceAction.Start
                && _index.FindResource(o.First) is Primitive or ResourceGroup && _index.FindResource(o.Then) is Primitive or ResourceGroup
                && _index.CloneOf(o.First) is null && _index.CloneOf(o.Then) is null)
            {
                byThen ??= new(StringComparer.Ordinal);
                (byThen.TryGetValue(o.Then, out var list) ? list : byThen[o.Then] = []).Add(o);
            }
        }

        if (byThen is null)
        {
            return;
        }

        var work = new Queue<string>(byThen.Keys);
        while (work.TryDequeue(out var then))
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            // Unmanaged, "then" does not hold "first" (Pacemaker moves "first" away from it).
            var stuck = _index.PrimitivesOf(then).FirstOrDefault(p => _view.ActiveOf(p.Id).Count > 0 && IsLeftAlone(p.Id) && !_view.IsUnmanaged(p.Id));
            if (stuck is null || !byThen.TryGetValue(then, out var orders))
            {
                continue;
            }

            foreach (var o in orders)
            {
                foreach (var p in _index.PrimitivesOf(o.First))
                {
                    if (_view.ActiveOf(p.Id).Count > 0 && !IsLeftAlone(p.Id) && _held.Add(p.Id))
                    {
                        _view.Warnings.Add($"{p.Id} stays as it is: {stuck.Id}, ordered after it by {o.Id}, is left alone and cannot stop first");
                        if (byThen.ContainsKey(o.First))
                        {
                            work.Enqueue(o.First);
                        }
                    }
                }
            }
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
        _placedScores[c.Id] = CloneOwnScores(c);
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

        // An instance held on a pending node takes a node to move to rather than a slot (SkipHeldMoves); a
        // blocked orphan (beyond clone-max) stays as it is but takes no instance's place.
        var held = blockedNodes.Count(n => _view.FindNode(n)!.Pending);
        var blockedInstances = blocked.Where(b => !_view.FindNode(b.Node)!.Pending && !ExtraInstances(managed.First(p => p.Id == b.Id)).Contains(b.Node))
            .Select(b => b.Node).Distinct(StringComparer.Ordinal).Count();
        var slots = (c.CloneMax ?? _view.Nodes.Count) - managed.Select(p => Stuck(p.Id)).DefaultIfEmpty(0).Max() - blockedInstances;
        var chosen = AllocateInstancesOneByOne(c, managed, promotable, scores, fallback, current, blockedNodes, slots);
        chosen = SkipHeldMoves(chosen, held, current, managed.Count);
        KeepInPlacementOrder(c, chosen, current);
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

    /// <summary>Sets an instance's role; a new instance adds one to its node's load (Pacemaker counts every primitive instance assigned).</summary>
    private void Set(string primitive, string node, ResourceRole role, bool countsLoad = true)
    {
        if (!_target.TryGetValue(primitive, out var map))
        {
            map = new Dictionary<string, ResourceRole>(StringComparer.Ordinal);
            _target[primitive] = map;
        }

        if (map.TryAdd(node, role) && countsLoad)
        {
            _load[node] = _load.GetValueOrDefault(node) + 1;
        }
        else
        {
            map[node] = role;
        }
    }

    private static readonly Dictionary<string, ResourceRole> Empty = new(StringComparer.Ordinal);

    private static readonly HashSet<string> NoNodes = new(StringComparer.Ordinal);

    private static readonly List<ColocationConstraint> NoColocations = []; // never added to
}
