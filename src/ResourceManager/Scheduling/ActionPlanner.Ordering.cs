using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// The edges. Within an instance: demote, stop, start, promote, then its monitors. A primitive that
// moves starts only after it stopped everywhere else; a clone promotes only after every demote (so
// never more than promoted-max Promoted at any moment) and starts only after every stop. Groups chain their members (start in order,
// stop in reverse). Order constraints order their actions, and symmetrical ones the inverse actions
// the other way round (stop then before stop first; stop then before demote first). Fencing comes
// before every start and promote of a resource that was active on the fenced node.
internal sealed partial class ActionPlanner
{
    private void AddOrdering()
    {
        var chain = new List<TransitionAction>(4);
        foreach (var plan in _plans.Values)
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            chain.Clear();
            TransitionAction? last = null;
            foreach (var op in (ReadOnlySpan<TransitionOp>)[TransitionOp.Demote, TransitionOp.Stop, TransitionOp.Start, TransitionOp.Promote])
            {
                if (Action(op, plan.Resource, plan.Node) is { } action)
                {
                    chain.Add(action);
                    last = op == TransitionOp.Stop ? last : action;
                }
            }

            for (var i = 1; i < chain.Count; i++)
            {
                _graph.Order(chain[i - 1], chain[i]);
            }

            foreach (var monitor in _graph.ActionsOf(plan.Resource))
            {
                if (monitor.Op == TransitionOp.Monitor && monitor.Node == plan.Node)
                {
                    _graph.Order(last, monitor);
                }
            }
        }

        foreach (var (resource, node, _) in _view.Orphans)
        {
            _graph.Order(Action(TransitionOp.Demote, resource, node), Action(TransitionOp.Stop, resource, node));
        }

        foreach (var p in _view.Config.Primitives)
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            if (!OnSeveralNodes(_graph.ActionsOf(p.Id)))
            {
                continue; // nothing to order between nodes
            }

            var ops = ActionsOf(p.Id);
            if (_index.CloneOf(p.Id) is null)
            {
                OrderAll(ops, TransitionOp.Stop, ops, TransitionOp.Start, sameNode: false, differentNode: true);
            }
            else
            {
                OrderAll(ops, TransitionOp.Demote, ops, TransitionOp.Promote, sameNode: false, differentNode: true);
            }
        }

        foreach (var c in _view.Config.Clones)
        {
            // A clone starts no instance before every instance it stops has stopped (Pacemaker orders the
            // clone's "stopped" before its "start"): an instance that moves never runs on two nodes at
            // once, and the clone never runs more than clone-max instances (two DRBD peers, not three).
            var ops = ActionsOf(c.Id);
            if (OnSeveralNodes(ops))
            {
                OrderAll(ops, TransitionOp.Stop, ops, TransitionOp.Start, sameNode: false, differentNode: true);
            }
        }

        foreach (var g in _view.Config.Groups)
        {
            var sameNode = _index.ParentOf(g.Id) is CloneResource;
            for (var i = 1; i < g.Members.Count; i++)
            {
                var before = ActionsOf(g.Members[i - 1]);
                var after = ActionsOf(g.Members[i]);
                OrderAll(before, TransitionOp.Start, after, TransitionOp.Start, sameNode);
                OrderAll(after, TransitionOp.Stop, before, TransitionOp.Stop, sameNode);
            }
        }

        foreach (var o in _view.Config.Orders)
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            AddOrder(o);
        }

        AddFencing();
        AddNotifyOrdering();
    }

    private void AddOrder(OrderConstraint o)
    {
        var first = ActionsOf(o.First);
        var then = ActionsOf(o.Then);
        var ok = true;
        if (o.EffectiveKind == OrderKind.Serialize)
        {
            ok &= OrderAll(first, TransitionOp.Start, then, TransitionOp.Start, sameNode: false);
            ok &= OrderAll(then, TransitionOp.Stop, first, TransitionOp.Stop, sameNode: false);
        }
        else
        {
            ok &= OrderAll(first, Op(o.EffectiveFirstAction), then, Op(o.EffectiveThenAction), sameNode: false);
            if (o.IsSymmetrical)
            {
                ok &= OrderAll(then, Op(Inverse(o.EffectiveThenAction)), first, Op(Inverse(o.EffectiveFirstAction)), sameNode: false);
                if (Op(Inverse(o.EffectiveFirstAction)) == TransitionOp.Demote)
                {
                    // An instance stopped without a demote (failed, its role unknown: it may be the promoted one)
                    // is stopped only after what is ordered after its promotion stopped on that node.
                    var undemoted = first.Where(f => f.Op == TransitionOp.Stop && Action(TransitionOp.Demote, f.Resource, f.Node) is null).ToList();
                    ok &= OrderAll(then, TransitionOp.Stop, undemoted, TransitionOp.Stop, sameNode: true);
                }
            }
        }

        if (!ok)
        {
            _warnings.Add($"order {o.Id} is partly ignored: it contradicts other orderings in this transition (a cycle)");
        }
    }

    private void AddFencing()
    {
        foreach (var node in _view.Nodes.Where(n => n.Fence))
        {
            var fence = _graph.Find(new TransitionAction(TransitionOp.Fence, "", node.Name).Id);
            var affected = _view.Config.Primitives
                .Where(p => _view.LostOf(p.Id).ContainsKey(node.Name))
                .Select(p => _placement.TopOf(p.Id)!)
                .Distinct(StringComparer.Ordinal)
                .SelectMany(top => _index.PrimitivesOf(top))
                .Select(p => p.Id)
                .ToHashSet(StringComparer.Ordinal);
            foreach (var action in _graph.Actions.Where(a => a.Op is TransitionOp.Start or TransitionOp.Promote && affected.Contains(a.Resource)).ToList())
            {
                _graph.Order(fence, action);
            }
        }
    }

    /// <summary>Every <paramref name="thenOp"/> in <paramref name="thens"/> waits for every <paramref name="firstOp"/> in <paramref name="firsts"/>.</summary>
    private bool OrderAll(
        List<TransitionAction> firsts, TransitionOp firstOp, List<TransitionAction> thens, TransitionOp thenOp, bool sameNode, bool differentNode = false)
    {
        var ok = true;
        foreach (var f in firsts)
        {
            if (f.Op != firstOp)
            {
                continue;
            }

            foreach (var t in thens)
            {
                if (t.Op != thenOp || (sameNode && f.Node != t.Node) || (differentNode && f.Node == t.Node))
                {
                    continue;
                }

                ok &= _graph.Order(f, t);
            }
        }

        return ok;
    }

    /// <summary>The actions (not monitors, fences or notifications) of every primitive a resource consists of, in the order they were created.</summary>
    private List<TransitionAction> ActionsOf(string resourceId)
    {
        var primitives = _index.PrimitivesOf(resourceId);
        var result = new List<TransitionAction>();
        if (primitives.Count == 1)
        {
            AddActions(primitives[0].Id);
        }
        else
        {
            foreach (var id in primitives.Select(p => p.Id).Distinct(StringComparer.Ordinal))
            {
                AddActions(id);
            }
        }

        if (primitives.Count > 1)
        {
            result.Sort((a, b) => _graph.IndexOf(a).CompareTo(_graph.IndexOf(b)));
        }

        return result;

        void AddActions(string id)
        {
            foreach (var action in _graph.ActionsOf(id))
            {
                if (action.Op is not (TransitionOp.Monitor or TransitionOp.Fence or TransitionOp.Notify))
                {
                    result.Add(action);
                }
            }
        }
    }

    private static bool OnSeveralNodes(List<TransitionAction> actions)
    {
        foreach (var action in actions)
        {
            if (action.Node != actions[0].Node)
            {
                return true;
            }
        }

        return false;
    }

    private static TransitionOp Op(ResourceAction action) => action switch
    {
        ResourceAction.Start => TransitionOp.Start,
        ResourceAction.Stop => TransitionOp.Stop,
        ResourceAction.Promote => TransitionOp.Promote,
        _ => TransitionOp.Demote,
    };

    private static ResourceAction Inverse(ResourceAction action) => action switch
    {
        ResourceAction.Start => ResourceAction.Stop,
        ResourceAction.Stop => ResourceAction.Start,
        ResourceAction.Promote => ResourceAction.Demote,
        _ => ResourceAction.Promote,
    };
}
