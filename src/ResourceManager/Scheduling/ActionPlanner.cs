using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// Turns "now" and "after" into actions: per instance demote, stop, start, promote and the
/// recurring monitors of the role it ends in; fences for lost nodes; stops for orphans. Then adds
/// the ordering edges (<see cref="ActionPlanner"/>.Ordering).
/// </summary>
internal sealed partial class ActionPlanner
{
    private readonly ClusterView _view;
    private readonly Placement _placement;
    private readonly ConfigIndex _index;
    private readonly GraphBuilder _graph;
    private readonly Dictionary<(string, string), InstancePlan> _plans;
    private readonly List<string> _warnings = [];

    public ActionPlanner(ClusterView view, Placement placement)
    {
        _view = view;
        _placement = placement;
        _index = view.Index;

        // Sized up front: at thousands of resources every doubling would be a large-object allocation.
        _plans = new(view.Config.Primitives.Count);
        _graph = new GraphBuilder(view.Config.Primitives.Count * 2);
    }

    public TransitionGraph Build()
    {
        MakePlans();
        PropagateRestarts();
        AddActions();
        AddOrdering();
        var placed = new List<PlacedInstance>(_view.Config.Primitives.Count);
        foreach (var p in _view.Config.Primitives)
        {
            foreach (var (node, role) in _placement.TargetOf(p.Id))
            {
                placed.Add(new PlacedInstance(p.Id, node, role));
            }
        }

        if (!InPlacementOrder(placed))
        {
            placed.Sort(ComparePlacement);
        }

        return _graph.Build([.. placed], _view.Warnings.Concat(_warnings));
    }

    private static int ComparePlacement(PlacedInstance a, PlacedInstance b) =>
        string.CompareOrdinal(a.Resource, b.Resource) is var c && c != 0 ? c : string.CompareOrdinal(a.Node, b.Node);

    /// <summary>Whether the placement is in its order already (primitives configured by id usually are): no sort needed then.</summary>
    private static bool InPlacementOrder(List<PlacedInstance> placed)
    {
        for (var i = 1; i < placed.Count; i++)
        {
            if (ComparePlacement(placed[i - 1], placed[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private void MakePlans()
    {
        foreach (var p in _view.Config.Primitives.Where(p => !_placement.IsLeftAlone(p.Id)))
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            var (active, target) = (_view.ActiveOf(p.Id), _placement.TargetOf(p.Id));
            foreach (var node in PlanNodes(active, target))
            {
                if (_view.IsBlockedOn(p.Id, node))
                {
                    continue;
                }

                var plan = new InstancePlan(p.Id, node, RoleOn(active, node), RoleOn(target, node));
                plan.Recover = _view.FailureOf(p.Id, node)?.Kind is FailureKind.Soft or FailureKind.Hard or FailureKind.Fatal or FailureKind.StopResource
                    && plan.Current != ResourceRole.Stopped;
                plan.Recover |= _view.MultipleActiveOf(p.Id) == MultipleActivePolicy.StopStart && plan.Current != ResourceRole.Stopped;
                _plans[(p.Id, node)] = plan;
            }
        }
    }

    private static ResourceRole RoleOn(IReadOnlyDictionary<string, ResourceRole> roles, string node) =>
        roles.TryGetValue(node, out var role) ? role : ResourceRole.Stopped;

    /// <summary>The nodes an instance of a primitive is on now or after, by name (no sorting for the usual one node).</summary>
    private static IEnumerable<string> PlanNodes(IReadOnlyDictionary<string, ResourceRole> active, IReadOnlyDictionary<string, ResourceRole> target)
    {
        if (active.Count + target.Count == 1 || (active.Count == 1 && target.Count == 1 && active.Keys.First() == target.Keys.First()))
        {
            return active.Count == 1 ? active.Keys : target.Keys;
        }

        return active.Count + target.Count == 0 ? [] : active.Keys.Concat(target.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    /// <summary>
    /// When something starts (fresh, moved or recovered) or is promoted (fresh or again), what is
    /// ordered after that action (mandatory, symmetrical) and stays up restarts: the later members
    /// of a group, the "then" side of an order ("Restart B due to required A start" in Pacemaker).
    /// Where a clone instance is "first", only "then" instances on its node restart, unless "then" is
    /// a clone that does not interleave (<see cref="SameNodeOnly"/>).
    /// </summary>
    private void PropagateRestarts()
    {
        var pairsOf = new Dictionary<string, List<(string First, string Then, ResourceAction Action, bool SameNode)>>(StringComparer.Ordinal);
        var plansOf = new Dictionary<string, List<InstancePlan>>(StringComparer.Ordinal);
        foreach (var pair in RestartPairs())
        {
            Add(pairsOf, pair.First, pair);
            plansOf.TryAdd(pair.First, []);
            plansOf.TryAdd(pair.Then, []);
        }

        if (pairsOf.Count == 0)
        {
            return;
        }

        // The plans of the resources some restart may pass through, in plan order.
        foreach (var plan in _plans.Values)
        {
            plansOf.GetValueOrDefault(plan.Resource)?.Add(plan);
        }

        // A worklist over "first" resources: a restart only ever adds starts and promotions, so every
        // resource whose plans changed is looked at again, and nothing else (linear in the pairs, not
        // in the length of the longest chain times the pairs).
        var pending = new Queue<string>(pairsOf.Keys);
        var queued = new HashSet<string>(pairsOf.Keys, StringComparer.Ordinal);
        while (pending.TryDequeue(out var first))
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            queued.Remove(first);
            var firsts = plansOf.GetValueOrDefault(first) ?? [];
            foreach (var (_, then, action, sameNode) in pairsOf[first])
            {
                foreach (var plan in plansOf.GetValueOrDefault(then) ?? [])
                {
                    if (plan.StaysUp && firsts.Any(f => (!sameNode || f.Node == plan.Node) && (action == ResourceAction.Promote ? f.Promote : f.Start)))
                    {
                        plan.Recover = true;
                        if (pairsOf.ContainsKey(then) && queued.Add(then))
                        {
                            pending.Enqueue(then);
                        }
                    }
                }
            }
        }

        static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
        {
            if (!map.TryGetValue(key, out var list))
            {
                list = [];
                map[key] = list;
            }

            list.Add(value);
        }
    }

    private IEnumerable<(string First, string Then, ResourceAction Action, bool SameNode)> RestartPairs()
    {
        foreach (var g in _view.Config.Groups)
        {
            for (var i = 1; i < g.Members.Count; i++)
            {
                yield return (g.Members[i - 1], g.Members[i], ResourceAction.Start, true);
            }
        }

        foreach (var o in _view.Config.Orders.Where(o => o.EffectiveKind == OrderKind.Mandatory && o.IsSymmetrical))
        {
            // Only a "then" start is restarted; Pacemaker 2.1.5 neither promotes again for a "then" promote
            // nor restarts a clone ordered after a promotion (checked with crm_simulate).
            if (o.EffectiveFirstAction is not (ResourceAction.Start or ResourceAction.Promote) || o.EffectiveThenAction != ResourceAction.Start
                || (o.EffectiveFirstAction == ResourceAction.Promote && _index.FindResource(o.Then) is CloneResource))
            {
                continue;
            }

            foreach (var f in _index.PrimitivesOf(o.First))
            {
                foreach (var t in _index.PrimitivesOf(o.Then))
                {
                    yield return (f.Id, t.Id, o.EffectiveFirstAction, SameNodeOnly(f.Id, t.Id));
                }
            }
        }
    }

    /// <summary>
    /// Whether a restart passes only to "then" instances on the node where "first" started, as
    /// Pacemaker 2.1.5 does (checked with crm_simulate): from a clone instance to a primitive, or to an
    /// interleaved clone; a primitive, or a clone to a clone that does not interleave, restarts every
    /// instance of "then".
    /// </summary>
    private bool SameNodeOnly(string first, string then) =>
        _index.CloneOf(first) is not null && (_index.CloneOf(then) is not { } thenClone || thenClone.Interleave);

    /// <summary>Fences first, then demotes, stops, starts, promotes and monitors: the order ties are broken in.</summary>
    private void AddActions()
    {
        foreach (var node in _view.Nodes.Where(n => n.Fence))
        {
            _graph.Add(new TransitionAction(TransitionOp.Fence, _view.FenceDeviceFor(node.Name), node.Name));
        }

        foreach (var (resource, node, role) in _view.Orphans)
        {
            if (role == ResourceRole.Promoted)
            {
                _graph.Add(new TransitionAction(TransitionOp.Demote, resource, node));
            }

            _warnings.Add($"{resource} is active on {node} but not in the configuration: it is stopped");
        }

        var plans = _plans.Values.ToList();
        foreach (var p in plans.Where(p => p.Demote))
        {
            _graph.Add(new TransitionAction(TransitionOp.Demote, p.Resource, p.Node));
        }

        foreach (var (resource, node, _) in _view.Orphans)
        {
            _graph.Add(new TransitionAction(TransitionOp.Stop, resource, node));
        }

        // Stops in reverse configuration order, so a group's later members are listed first.
        foreach (var p in plans.Where(p => p.Stop).Reverse())
        {
            _graph.Add(new TransitionAction(TransitionOp.Stop, p.Resource, p.Node));
        }

        foreach (var p in plans.Where(p => p.Start))
        {
            _graph.Add(new TransitionAction(TransitionOp.Start, p.Resource, p.Node));
        }

        foreach (var p in plans.Where(p => p.Promote))
        {
            _graph.Add(new TransitionAction(TransitionOp.Promote, p.Resource, p.Node));
        }

        foreach (var p in plans.Where(p => p.Target != ResourceRole.Stopped && (p.Start || p.Promote || p.Demote)))
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            foreach (var op in MonitorsFor(p))
            {
                _graph.Add(new TransitionAction(TransitionOp.Monitor, p.Resource, p.Node, op.Interval, p.Target));
            }
        }

        AddNotifications();
    }

    /// <summary>
    /// The recurring monitors of the role an instance ends in. A monitor without a role watches the
    /// Started role, which for a promotable clone is the Unpromoted one (as in Pacemaker).
    /// </summary>
    private Operation[] MonitorsFor(InstancePlan plan)
    {
        var promoted = plan.Target == ResourceRole.Promoted;
        var primitive = (Primitive)_index.FindResource(plan.Resource)!;
        var found = new List<Operation>(1);
        foreach (var o in primitive.Operations)
        {
            if (o.Interval > Duration.Zero && o.Name == "monitor" && o.Attributes.GetBool("enabled") != false
                && (promoted ? o.Role == ResourceRole.Promoted : o.Role is null or ResourceRole.Started or ResourceRole.Unpromoted))
            {
                found.Add(o);
            }
        }

        return found.Count <= 1 ? [.. found] : [.. found.OrderBy(o => o.Interval)];
    }

    /// <summary>The <paramref name="op"/> (not a monitor) of a resource on a node in this transition, if any.</summary>
    private TransitionAction? Action(TransitionOp op, string resource, string node)
    {
        foreach (var action in _graph.ActionsOf(resource))
        {
            if (action.Op == op && action.Node == node)
            {
                return action;
            }
        }

        return null;
    }
}
