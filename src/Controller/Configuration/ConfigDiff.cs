using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Configuration;

/// <summary>
/// A short account, by element id, of how one configuration differs from another: nodes, resources,
/// constraints, cluster properties and defaults it has that the other lacks, lacks that the other has,
/// or has with other content. Pure.
/// </summary>
internal static class ConfigDiff
{
    /// <summary>Elements named before the rest are counted: a warning is one line, not a listing.</summary>
    public const int MaxNamed = 10;

    /// <summary>"it had primitive p_extra, lacked order o1, changed location loc1 and property stonith-enabled".</summary>
    public static string Describe(ClusterConfig config, ClusterConfig relativeTo)
    {
        var mine = Elements(config);
        var theirs = Elements(relativeTo);
        var theirIndex = theirs.ToDictionary(e => e.Label, e => e.Value, StringComparer.Ordinal);
        var myIndex = mine.Select(e => e.Label).ToHashSet(StringComparer.Ordinal);
        var had = mine.Where(e => !theirIndex.ContainsKey(e.Label)).Select(e => e.Label).ToList();
        var lacked = theirs.Where(e => !myIndex.Contains(e.Label)).Select(e => e.Label).ToList();
        var changed = mine.Where(e => theirIndex.TryGetValue(e.Label, out var other) && !Equals(e.Value, other)).Select(e => e.Label).ToList();
        if (had.Count + lacked.Count + changed.Count == 0)
        {
            return "it had the same elements in another order";
        }

        var budget = MaxNamed;
        var clauses = new List<string>();
        foreach (var (verb, labels) in new[] { ("had", had), ("lacked", lacked), ("changed", changed) })
        {
            var named = labels.Take(budget).ToList();
            budget -= named.Count;
            if (named.Count > 0)
            {
                clauses.Add(verb + " " + JoinAnd(named));
            }
        }

        var unnamed = had.Count + lacked.Count + changed.Count - MaxNamed;
        return "it " + string.Join(", ", clauses) + (unnamed > 0 ? $", and {unnamed} more difference{(unnamed == 1 ? "" : "s")}" : "");
    }

    private static string JoinAnd(List<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    /// <summary>Every element with a label unique in the configuration ("primitive p1", "property stonith-enabled") and its content.</summary>
    private static List<(string Label, object? Value)> Elements(ClusterConfig c)
    {
        var list = new List<(string, object?)>();
        list.AddRange(c.Nodes.Select(n => ("node " + n.Name, (object?)n)));
        list.AddRange(c.Primitives.Select(p => ("primitive " + p.Id, (object?)p)));
        list.AddRange(c.Groups.Select(g => ("group " + g.Id, (object?)g)));
        list.AddRange(c.Clones.Select(x => ("clone " + x.Id, (object?)x)));
        list.AddRange(c.Locations.Select(l => ("location " + l.Id, (object?)l)));
        list.AddRange(c.Colocations.Select(x => ("colocation " + x.Id, (object?)x)));
        list.AddRange(c.Orders.Select(o => ("order " + o.Id, (object?)o)));
        list.AddRange(Properties(c.Properties).Select(p => ("property " + p.Key, (object?)p.Value)));
        list.AddRange(c.ResourceDefaults.Items.Select(p => ("rsc_defaults " + p.Key, (object?)p.Value)));
        list.AddRange(c.OperationDefaults.Items.Select(p => ("op_defaults " + p.Key, (object?)p.Value)));
        return list;
    }

    private static IEnumerable<KeyValuePair<string, string>> Properties(ClusterProperties p)
    {
        var typed = new (string Name, object? Value)[]
        {
            (PropertyNames.StonithEnabled, p.StonithEnabled),
            (PropertyNames.NoQuorumPolicy, p.NoQuorumPolicy),
            (PropertyNames.SymmetricCluster, p.SymmetricCluster),
            (PropertyNames.MaintenanceMode, p.MaintenanceMode),
            (PropertyNames.PriorityFencingDelay, p.PriorityFencingDelay),
        };
        return typed.Where(t => t.Value is not null)
            .Select(t => KeyValuePair.Create(t.Name, t.Value!.ToString()!))
            .Concat(p.Other.Items);
    }
}
