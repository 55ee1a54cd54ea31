using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// The order Pacemaker 2.1.5 keeps a clone's instances in once it has placed them. It sorts its list of
// instances to place them and, for a promotable clone, sorts it again by promotion rank; a finite
// colocation with the clone is then applied instance by instance in that order, each rolled back on
// its own if it would leave no node allowed, so the order decides which instance's score is dropped.
internal sealed partial class Placement
{
    // By clone: the nodes of its placed instances in Pacemaker's order.
    private readonly Dictionary<string, List<string>> _instanceOrder = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="nodes"/> in the order of the clone's instances on them; nodes with no placed
    /// instance (a clone not placed yet, one left as it is) after them, by name.
    /// </summary>
    private IEnumerable<string> InInstanceOrder(string clone, HashSet<string> nodes)
    {
        var order = _instanceOrder.GetValueOrDefault(clone) ?? [];
        return order.Where(nodes.Contains).Concat(nodes.Except(order).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A clone's instances as Pacemaker places them: those that stay where they run first, in their
    /// numbers' order (the nodes' order), then the others (moved or new) in the order they were given
    /// their nodes, best first.
    /// </summary>
    private void KeepInPlacementOrder(CloneResource c, List<string> chosen, HashSet<string> current)
    {
        var staying = _view.Nodes.Select(n => n.Name).Where(n => current.Contains(n) && chosen.Contains(n));
        _instanceOrder[c.Id] = [.. staying, .. chosen.Where(n => !current.Contains(n))];
    }

    /// <summary>
    /// A promotable clone's instances once ranked for promotion: Pacemaker sorts them by rank, so the
    /// ranked ones come first, highest first, and the others (not eligible at all) keep their place after them.
    /// </summary>
    private void KeepInRankOrder(CloneResource c, List<string> ranked)
    {
        var placed = _instanceOrder.GetValueOrDefault(c.Id) ?? [];
        _instanceOrder[c.Id] = [.. ranked, .. placed.Where(n => !ranked.Contains(n))];
    }
}
