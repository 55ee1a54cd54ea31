using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// After every resource has a place: a mandatory order makes its "then" resource unrunnable when the
// "first" action cannot happen anywhere (no instance will be started, or none promoted); an
// INFINITY colocation drops a follower whose primary is not on its node (in the role asked); a
// -INFINITY one drops a follower sitting with its primary. Repeated until nothing changes.
internal sealed partial class Placement
{
    private void Enforce()
    {
        for (var round = 0; round < 100; round++)
        {
            var changed = false;
            foreach (var order in _view.Config.Orders.Where(o => o.EffectiveKind == OrderKind.Mandatory))
            {
                _view.Cancellation.ThrowIfCancellationRequested();
                changed |= EnforceOrder(order);
            }

            foreach (var c in _view.Config.Colocations.Where(c => c.Score.IsInfinity || c.Score.IsMinusInfinity))
            {
                _view.Cancellation.ThrowIfCancellationRequested();
                changed |= EnforceColocation(c);
            }

            if (!changed)
            {
                return;
            }
        }
    }

    private bool EnforceOrder(OrderConstraint order)
    {
        var firstPrimitives = _index.PrimitivesOf(order.First);
        var runnable = order.EffectiveFirstAction switch
        {
            ResourceAction.Start when _index.FindResource(order.First) is ResourceGroup =>
                firstPrimitives.Count > 0 && firstPrimitives.All(p => Starts(p.Id)),
            ResourceAction.Start => firstPrimitives.Any(p => Starts(p.Id)),
            ResourceAction.Promote => firstPrimitives.Any(p => TargetOf(p.Id).Values.Contains(ResourceRole.Promoted)),
            _ => true,
        };
        if (runnable)
        {
            return EnforceInterleavedPairs(order, firstPrimitives) | EnforceInterleavedPromoteOrder(order, firstPrimitives);
        }

        var changed = false;
        foreach (var p in _index.PrimitivesOf(order.Then).Where(p => !IsLeftAlone(p.Id)))
        {
            foreach (var (node, role) in TargetOf(p.Id).Where(t => !_view.IsBlockedOn(p.Id, t.Key)).ToList())
            {
                if (order.EffectiveThenAction == ResourceAction.Start)
                {
                    changed |= Drop(p.Id, node);
                }
                else if (order.EffectiveThenAction == ResourceAction.Promote && role == ResourceRole.Promoted && !StaysPromoted(p.Id, node))
                {
                    Set(p.Id, node, ResourceRole.Unpromoted);
                    changed = true;
                }
            }
        }

        return changed;
    }

    /// <summary>
    /// An instance Promoted now that stays so needs no promote, so an order on its promotion cannot
    /// hold it back (Pacemaker only blocks the promote action); one recovered from a failure is
    /// promoted again, and waits.
    /// </summary>
    private bool StaysPromoted(string primitive, string node) =>
        _view.CurrentRole(primitive, node) == ResourceRole.Promoted && _view.FailureOf(primitive, node) is null;

    /// <summary>
    /// Between interleaved clones, each instance of "then" is paired with the instance of "first" on its
    /// node; one placed where "first" has no instance has nothing to wait for, and Pacemaker takes its
    /// node away (it stops if it runs there). Only orders whose first action brings "first" up do this:
    /// stopping or demoting needs no partner. Whether the clones interleave is the "then" clone's
    /// setting, or the "first" clone's when "then" is stopped or demoted, as Pacemaker reads it.
    /// </summary>
    private bool EnforceInterleavedPairs(OrderConstraint order, IReadOnlyList<Primitive> firstPrimitives)
    {
        if (order.EffectiveFirstAction is not (ResourceAction.Start or ResourceAction.Promote)
            || _index.FindResource(order.First) is not CloneResource first
            || _index.FindResource(order.Then) is not CloneResource then
            || !(order.EffectiveThenAction is ResourceAction.Stop or ResourceAction.Demote ? first : then).Interleave)
        {
            return false;
        }

        var paired = firstPrimitives.SelectMany(p => TargetOf(p.Id).Keys).ToHashSet(StringComparer.Ordinal);
        var changed = false;
        foreach (var p in _index.PrimitivesOf(order.Then).Where(p => !IsLeftAlone(p.Id)))
        {
            foreach (var node in TargetOf(p.Id).Keys.Where(n => !paired.Contains(n) && !_view.IsBlockedOn(p.Id, n)).ToList())
            {
                changed |= Drop(p.Id, node);
            }
        }

        return changed;
    }

    /// <summary>
    /// Between interleaved clones, an instance's action waits only for the instance of "first" on its
    /// own node: after a "first" promote, an instance of "then" can only be promoted (or started) where
    /// "first" is Promoted, as Pacemaker pairs interleaved instances by node. An instance whose start
    /// waits for a promote that does not happen is stopped, even one running now (Pacemaker makes its
    /// start unrunnable); one Promoted already needs no promote and stays.
    /// </summary>
    private bool EnforceInterleavedPromoteOrder(OrderConstraint order, IReadOnlyList<Primitive> firstPrimitives)
    {
        if (order.EffectiveFirstAction != ResourceAction.Promote || _index.FindResource(order.First) is not CloneResource
            || _index.FindResource(order.Then) is not CloneResource { Interleave: true })
        {
            return false;
        }

        var promoted = firstPrimitives.SelectMany(p => TargetOf(p.Id).Where(t => t.Value == ResourceRole.Promoted).Select(t => t.Key)).ToHashSet(StringComparer.Ordinal);
        var changed = false;
        foreach (var p in _index.PrimitivesOf(order.Then).Where(p => !IsLeftAlone(p.Id)))
        {
            foreach (var (node, role) in TargetOf(p.Id).Where(t => !_view.IsBlockedOn(p.Id, t.Key) && !promoted.Contains(t.Key)).ToList())
            {
                if (order.EffectiveThenAction == ResourceAction.Start)
                {
                    changed |= Drop(p.Id, node);
                }
                else if (order.EffectiveThenAction == ResourceAction.Promote && role == ResourceRole.Promoted
                    && _view.CurrentRole(p.Id, node) != ResourceRole.Promoted)
                {
                    Set(p.Id, node, ResourceRole.Unpromoted);
                    changed = true;
                }
            }
        }

        return changed;
    }

    private bool EnforceColocation(ColocationConstraint c)
    {
        var where = WherePrimaryIs(c);
        var changed = false;
        foreach (var p in _index.PrimitivesOf(c.Resource).Where(p => !IsLeftAlone(p.Id)))
        {
            foreach (var (node, role) in TargetOf(p.Id).Where(t => !_view.IsBlockedOn(p.Id, t.Key)).ToList())
            {
                var violates = c.Score.IsInfinity ? !where.Contains(node) : where.Contains(node);
                if (!violates || (c.ResourceRole is { } r && r != ResourceRole.Started && r != role))
                {
                    continue;
                }

                if (c.ResourceRole == ResourceRole.Promoted)
                {
                    Set(p.Id, node, ResourceRole.Unpromoted);
                    changed = true;
                }
                else
                {
                    changed |= Drop(p.Id, node);
                }
            }
        }

        return changed;
    }

    /// <summary>Removes an instance; in a group, the members after it on that node go too.</summary>
    private bool Drop(string primitive, string node)
    {
        if (!_target.TryGetValue(primitive, out var map) || !map.Remove(node))
        {
            return false;
        }

        if (_index.ParentOf(primitive) is ResourceGroup group)
        {
            foreach (var later in group.Members.SkipWhile(m => m != primitive).Skip(1))
            {
                if (!IsLeftAlone(later))
                {
                    Drop(later, node);
                }
            }
        }

        return true;
    }
}
