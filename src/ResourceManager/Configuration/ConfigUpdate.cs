namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// <c>configure load update</c> (crm shell's semantics): each element of the update replaces the element
/// of the same id (a node: the same name), new ones are added, nothing is removed; properties and
/// defaults set in the update override the live ones. The result is validated whole by the caller.
/// </summary>
public static class ConfigUpdate
{
    public static ClusterConfig Merge(ClusterConfig live, ClusterConfig update)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(update);
        return live with
        {
            Version = update.Version > live.Version ? update.Version : live.Version,
            Nodes = Upsert(live.Nodes, update.Nodes, n => n.Name),
            Primitives = Upsert(live.Primitives, update.Primitives, p => p.Id),
            Groups = Upsert(live.Groups, update.Groups, g => g.Id),
            Clones = Upsert(live.Clones, update.Clones, c => c.Id),
            Locations = Upsert(live.Locations, update.Locations, l => l.Id),
            Colocations = Upsert(live.Colocations, update.Colocations, c => c.Id),
            Orders = Upsert(live.Orders, update.Orders, o => o.Id),
            Properties = new ClusterProperties(
                update.Properties.StonithEnabled ?? live.Properties.StonithEnabled,
                update.Properties.NoQuorumPolicy ?? live.Properties.NoQuorumPolicy,
                update.Properties.SymmetricCluster ?? live.Properties.SymmetricCluster,
                update.Properties.MaintenanceMode ?? live.Properties.MaintenanceMode,
                update.Properties.PriorityFencingDelay ?? live.Properties.PriorityFencingDelay,
                live.Properties.Other.Merge(update.Properties.Other)),
            ResourceDefaults = live.ResourceDefaults.Merge(update.ResourceDefaults),
            OperationDefaults = live.OperationDefaults.Merge(update.OperationDefaults),
        };
    }

    private static EquatableArray<T> Upsert<T>(EquatableArray<T> live, EquatableArray<T> update, Func<T, string> id)
    {
        var replaced = update.ToDictionary(id, StringComparer.Ordinal);
        var kept = live.Select(e => replaced.Remove(id(e), out var newer) ? newer : e).ToList();
        return [.. kept, .. update.Where(e => replaced.ContainsKey(id(e)))];
    }
}
