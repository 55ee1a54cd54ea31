using System.Text;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Writes a <see cref="ClusterConfig"/> in canonical crm syntax (<c>clusterctl configure show</c>):
/// nodes, primitives, groups, clones (or the resources in source order when that differs), locations, colocations, orders, then properties and defaults;
/// clauses on continuation lines; Pacemaker 2.1 names (<c>Promoted</c>, <c>promoted-max</c>,
/// <c>clone ... meta promotable=true</c>). Parsing the output gives back an equal configuration.
/// </summary>
public static partial class CrmWriter
{
    private const string Continue = " \\\n\t";

    public static string Write(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sb = new StringBuilder();
        if (config.Version != default)
        {
            sb.Append("# clusterd: ").Append(config.Version.ToString()).Append('\n');
        }

        foreach (var node in config.Nodes)
        {
            WriteNode(sb, node);
        }

        if (config.ResourceOrder.IsEmpty)
        {
            WriteResourcesByKind(sb, config);
        }
        else
        {
            WriteResourcesInOrder(sb, config);
        }

        foreach (var location in config.Locations)
        {
            WriteLocation(sb, location);
        }

        foreach (var c in config.Colocations)
        {
            sb.Append("colocation ").Append(Id(c.Id)).Append(' ').Append(CrmScore(c.Score)).Append(": ")
                .Append(WithRole(c.Resource, c.ResourceRole)).Append(' ').Append(WithRole(c.WithResource, c.WithResourceRole));
            if (c.NodeAttribute is not null)
            {
                sb.Append(" node-attribute=").Append(Quote(c.NodeAttribute));
            }

            sb.Append('\n');
        }

        foreach (var o in config.Orders)
        {
            WriteOrder(sb, o);
        }

        Options(sb, "property", PropertyItems(config.Properties));
        Options(sb, "rsc_defaults", config.ResourceDefaults.Items);
        Options(sb, "op_defaults", config.OperationDefaults.Items);
        return sb.ToString();
    }

    private static void WriteResourcesByKind(StringBuilder sb, ClusterConfig config)
    {
        foreach (var primitive in config.Primitives)
        {
            WritePrimitive(sb, primitive);
        }

        foreach (var group in config.Groups)
        {
            WriteGroup(sb, group);
        }

        foreach (var clone in config.Clones)
        {
            WriteClone(sb, clone);
        }
    }

    /// <summary>Top-level resources in <see cref="ClusterConfig.ResourceOrder"/>, each after the primitives and group it contains.</summary>
    private static void WriteResourcesInOrder(StringBuilder sb, ClusterConfig config)
    {
        var index = new ConfigIndex(config);
        void Write(ResourceDefinition? resource)
        {
            switch (resource)
            {
                case Primitive primitive:
                    WritePrimitive(sb, primitive);
                    break;
                case ResourceGroup group:
                    foreach (var member in group.Members)
                    {
                        Write(index.FindResource(member));
                    }

                    WriteGroup(sb, group);
                    break;
                case CloneResource clone:
                    Write(index.FindResource(clone.Child));
                    WriteClone(sb, clone);
                    break;
            }
        }

        foreach (var top in index.TopLevel)
        {
            Write(top);
        }
    }

    private static void WriteGroup(StringBuilder sb, ResourceGroup group)
    {
        sb.Append("group ").Append(Id(group.Id));
        foreach (var member in group.Members)
        {
            sb.Append(' ').Append(Id(member));
        }

        Description(sb, group.Description);
        Clause(sb, "meta", group.Meta);
        sb.Append('\n');
    }

    private static void WriteClone(StringBuilder sb, CloneResource clone)
    {
        sb.Append("clone ").Append(Id(clone.Id)).Append(' ').Append(Id(clone.Child));
        Description(sb, clone.Description);
        var meta = clone.Promotable
            ? AttributeMap.Create(new[] { KeyValuePair.Create(MetaNames.Promotable, "true") }.Concat(clone.Meta.Items))
            : clone.Meta;
        Clause(sb, "meta", meta);
        sb.Append('\n');
    }

    private static void WriteNode(StringBuilder sb, NodeDefinition node)
    {
        sb.Append("node ");
        if (node.Id is not null)
        {
            if (IsPlain(node.Id))
            {
                sb.Append(node.Id).Append(": ");
            }
            else
            {
                sb.Append("$id=").Append(Quote(node.Id)).Append(' ');
            }
        }

        sb.Append(node.Name);
        Description(sb, node.Description);
        Clause(sb, "attributes", node.Attributes);
        Clause(sb, "utilization", node.Utilization);
        sb.Append('\n');
    }

    private static void WritePrimitive(StringBuilder sb, Primitive p)
    {
        sb.Append("primitive ").Append(Id(p.Id)).Append(' ').Append(p.Agent);
        Description(sb, p.Description);
        Clause(sb, "params", p.Params);
        Clause(sb, "meta", p.Meta);
        Clause(sb, "utilization", p.Utilization);
        foreach (var op in p.Operations)
        {
            sb.Append(Continue).Append("op ").Append(Quote(op.Name)).Append(" interval=").Append(op.Interval);
            if (op.Timeout is { } timeout)
            {
                sb.Append(" timeout=").Append(timeout);
            }

            if (op.Role is { } role)
            {
                sb.Append(" role=").Append(ResourceRoles.Name(role));
            }

            if (op.OnFail is { } onFail)
            {
                sb.Append(" on-fail=").Append(AttributeRules.OnFailName(onFail));
            }

            Pairs(sb, op.Attributes.Items);
        }

        sb.Append('\n');
    }

    private static void WriteOrder(StringBuilder sb, OrderConstraint o)
    {
        sb.Append("order ").Append(Id(o.Id)).Append(' ');
        if (o.Kind is { } kind)
        {
            sb.Append(kind).Append(": ");
        }
        else if (o.Score is { } score)
        {
            sb.Append(CrmScore(score)).Append(": ");
        }

        sb.Append(Id(o.First));
        if (o.FirstAction is { } fa)
        {
            sb.Append(':').Append(AttributeRules.ActionName(fa));
        }

        sb.Append(' ').Append(Id(o.Then));
        if (o.ThenAction is { } ta)
        {
            sb.Append(':').Append(AttributeRules.ActionName(ta));
        }

        if (o.Symmetrical is { } symmetrical)
        {
            sb.Append(" symmetrical=").Append(symmetrical ? "true" : "false");
        }

        sb.Append('\n');
    }

    private static IEnumerable<KeyValuePair<string, string>> PropertyItems(ClusterProperties p)
    {
        if (p.StonithEnabled is { } se)
        {
            yield return KeyValuePair.Create(PropertyNames.StonithEnabled, se ? "true" : "false");
        }

        if (p.NoQuorumPolicy is { } nq)
        {
            yield return KeyValuePair.Create(PropertyNames.NoQuorumPolicy, nq.ToString().ToLowerInvariant());
        }

        if (p.SymmetricCluster is { } sc)
        {
            yield return KeyValuePair.Create(PropertyNames.SymmetricCluster, sc ? "true" : "false");
        }

        if (p.MaintenanceMode is { } mm)
        {
            yield return KeyValuePair.Create(PropertyNames.MaintenanceMode, mm ? "true" : "false");
        }

        if (p.PriorityFencingDelay is { } pd)
        {
            yield return KeyValuePair.Create(PropertyNames.PriorityFencingDelay, pd.ToString());
        }

        foreach (var item in p.Other.Items)
        {
            yield return item;
        }
    }

    private static void Options(StringBuilder sb, string keyword, IEnumerable<KeyValuePair<string, string>> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return;
        }

        sb.Append(keyword);
        for (var i = 0; i < list.Count; i++)
        {
            sb.Append(i == 0 ? " " : Continue).Append(list[i].Key).Append('=').Append(Quote(list[i].Value));
        }

        sb.Append('\n');
    }
}
