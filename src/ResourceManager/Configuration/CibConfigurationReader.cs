using System.Xml.Linq;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>Reads <c>cib/configuration</c>: crm_config, nodes, resources, constraints, rsc_defaults, op_defaults.</summary>
internal sealed partial class CibConfigurationReader(ConfigBuilder builder)
{
    private static readonly HashSet<string> Sections = new(StringComparer.Ordinal)
    {
        "crm_config", "nodes", "resources", "constraints", "rsc_defaults", "op_defaults",
    };

    public void Read(XElement configuration)
    {
        foreach (var section in configuration.Elements())
        {
            var name = section.Name.LocalName;
            if (!Sections.Contains(name))
            {
                builder.Warn(CibXml.Pos(section), $"<{name}> is ignored by clusterd");
            }
        }

        foreach (var set in configuration.Elements("crm_config"))
        {
            foreach (var a in CibXml.NvPairs(set, "cluster_property_set", builder))
            {
                builder.Property(a);
            }
        }

        foreach (var node in configuration.Elements("nodes").Elements())
        {
            Node(node);
        }

        foreach (var resource in configuration.Elements("resources").Elements())
        {
            builder.Cancellation.ThrowIfCancellationRequested();
            Resource(resource, parent: null);
        }

        foreach (var constraint in configuration.Elements("constraints").Elements())
        {
            Constraint(constraint);
        }

        foreach (var a in configuration.Elements("rsc_defaults").SelectMany(d => CibXml.NvPairs(d, "meta_attributes", builder)))
        {
            builder.ResourceDefault(a);
        }

        foreach (var a in configuration.Elements("op_defaults").SelectMany(d => CibXml.NvPairs(d, "meta_attributes", builder)))
        {
            builder.OperationDefault(a);
        }
    }

    private void Node(XElement node)
    {
        var at = CibXml.Pos(node);
        if (node.Name.LocalName != "node")
        {
            builder.Warn(at, $"<{node.Name.LocalName}> in <nodes> is ignored");
            return;
        }

        var uname = CibXml.Attr(node, "uname");
        if (!AttributeRules.IsValidNodeName(uname))
        {
            builder.Error(CibXml.AttrPos(node, "uname"), uname is null ? "<node> without a uname" : $"'{uname}' is not a valid node name");
            return;
        }

        if (CibXml.Attr(node, "type") is { } type && type is not ("member" or "normal"))
        {
            builder.Warn(CibXml.AttrPos(node, "type"), $"node type '{type}' is ignored: clusterd runs resources on cluster members only");
        }

        var what = $"node '{uname}'";
        builder.AddNode(
            new NodeDefinition(
                uname!,
                CibXml.Attr(node, "id"),
                builder.Map(CibXml.NvPairs(node, "instance_attributes", builder), what, AttributeRules.CheckNodeAttribute),
                builder.Map(CibXml.NvPairs(node, "utilization", builder), what),
                CibXml.Attr(node, "description")),
            at);
    }

    private string? Declare(XElement element, string kind)
    {
        var id = CibXml.Attr(element, "id");
        if (id is null)
        {
            builder.Error(CibXml.Pos(element), $"<{element.Name.LocalName}> without an id");
            return null;
        }

        return builder.Declare(id, kind, CibXml.AttrPos(element, "id")) ? id : null;
    }

    /// <summary>A resource element; <paramref name="parent"/> names the enclosing group or clone for references.</summary>
    private string? Resource(XElement element, string? parent)
    {
        switch (element.Name.LocalName)
        {
            case "primitive":
                return Primitive(element);
            case "group":
                return Group(element);
            case "clone":
                return Clone(element, promotable: false);
            case "master":
                return Clone(element, promotable: true);
            case "template" or "bundle":
                builder.Error(CibXml.Pos(element), $"<{element.Name.LocalName}> resources are not supported by clusterd");
                return null;
            default:
                builder.Error(CibXml.Pos(element), $"unexpected <{element.Name.LocalName}> in {(parent is null ? "<resources>" : parent)} (expected primitive, group, clone or master)");
                return null;
        }
    }

    private string? Primitive(XElement element)
    {
        var id = Declare(element, "primitive");
        if (id is null)
        {
            return null;
        }

        var what = $"primitive '{id}'";
        if (CibXml.Attr(element, "template") is not null)
        {
            builder.Error(CibXml.AttrPos(element, "template"), $"{what} uses a template; templates are not supported by clusterd");
            return id;
        }

        var agentText = CibXml.Attr(element, "provider") is { } provider
            ? $"{CibXml.Attr(element, "class")}:{provider}:{CibXml.Attr(element, "type")}"
            : $"{CibXml.Attr(element, "class")}:{CibXml.Attr(element, "type")}";
        if (!AgentSpec.TryParse(agentText, out var agent, out var problem))
        {
            builder.Error(CibXml.AttrPos(element, "class"), $"{what}: {problem}");
            return id;
        }

        var operations = new List<Operation>();
        var keys = new Dictionary<(string, Duration), SourcePos>();
        foreach (var op in element.Elements("operations").Elements())
        {
            var at = CibXml.Pos(op);
            if (op.Name.LocalName != "op" || CibXml.Attr(op, "name") is not { } name)
            {
                builder.Error(at, op.Name.LocalName == "op" ? $"<op> without a name in {what}" : $"unexpected <{op.Name.LocalName}> in the operations of {what}");
                continue;
            }

            var attributes = op.Attributes()
                .Where(a => a.Name.LocalName is not ("id" or "name"))
                .Select(a => new SourceAttribute(a.Name.LocalName, a.Value, CibXml.Pos(a), CibXml.Pos(a)))
                .Concat(CibXml.NvPairs(op, "instance_attributes", builder))
                .Concat(CibXml.NvPairs(op, "meta_attributes", builder));
            if (builder.Operation(name, at, attributes, what) is { } operation)
            {
                if (keys.TryGetValue((operation.Name, operation.Interval), out var first))
                {
                    builder.Error(at, $"{what} has two '{operation.Name}' operations with interval {operation.Interval} (the first at line {first.Line}); Pacemaker identifies an operation by name and interval");
                    continue;
                }

                keys[(operation.Name, operation.Interval)] = at;
                operations.Add(operation);
            }
        }

        builder.Add(new Primitive(
            id,
            agent!,
            builder.Map(CibXml.NvPairs(element, "instance_attributes", builder), $"params of {what}"),
            builder.Map(CibXml.NvPairs(element, "meta_attributes", builder), $"meta of {what}", AttributeRules.CheckResourceMeta),
            [.. operations],
            builder.Map(CibXml.NvPairs(element, "utilization", builder), $"utilization of {what}"),
            CibXml.Attr(element, "description")));
        return id;
    }

    private string? Group(XElement element)
    {
        var id = Declare(element, "group");
        if (id is null)
        {
            return null;
        }

        var what = $"group '{id}'";
        var members = new List<string>();
        foreach (var child in element.Elements().Where(e => e.Name.LocalName is not ("meta_attributes" or "instance_attributes" or "utilization")))
        {
            if (Resource(child, what) is { } member)
            {
                builder.Reference(member, CibXml.Pos(child), ConfigBuilder.ReferenceKind.GroupMember, what);
                members.Add(member);
            }
        }

        if (members.Count == 0)
        {
            builder.Error(CibXml.Pos(element), $"{what} has no member primitives");
        }

        builder.Add(new ResourceGroup(
            id,
            [.. members],
            builder.Map(CibXml.NvPairs(element, "meta_attributes", builder), $"meta of {what}", AttributeRules.CheckResourceMeta),
            CibXml.Attr(element, "description")));
        return id;
    }

    private string? Clone(XElement element, bool promotable)
    {
        var id = Declare(element, "clone");
        if (id is null)
        {
            return null;
        }

        var what = $"{element.Name.LocalName} '{id}'";
        var children = element.Elements().Where(e => e.Name.LocalName is not ("meta_attributes" or "instance_attributes" or "utilization")).ToList();
        if (children.Count != 1)
        {
            builder.Error(CibXml.Pos(element), $"{what} must hold exactly one primitive or group, found {children.Count}");
            return id;
        }

        if (Resource(children[0], what) is not { } child)
        {
            return id;
        }

        builder.Reference(child, CibXml.Pos(children[0]), ConfigBuilder.ReferenceKind.CloneChild, what);
        var (meta, metaPromotable) = builder.CloneMeta(CibXml.NvPairs(element, "meta_attributes", builder), $"meta of {what}");
        builder.Add(new CloneResource(id, child, promotable || metaPromotable, meta, CibXml.Attr(element, "description")));
        return id;
    }
}
