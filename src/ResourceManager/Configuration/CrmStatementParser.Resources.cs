namespace ClusterD.ResourceManager.Configuration;

/// <summary>node, primitive, group, clone/ms.</summary>
internal sealed partial class CrmStatementParser
{
    /// <summary><c>node [$id=ID | ID:] NAME[:TYPE] [description=..] [attributes n=v ...] [utilization n=v ...]</c>.</summary>
    private void Node(TokenCursor cursor)
    {
        string? id = null;
        if (cursor.Peek() is { IsNameValue: true } idToken && idToken.Name is "$id" or "id")
        {
            cursor.Next("a node id");
            id = idToken.Value;
        }

        var name = cursor.NextWord("a node name");
        if (name.Text.EndsWith(':') && id is null)
        {
            id = name.Text[..^1];
            name = cursor.NextWord("a node name after the node id");
        }

        var uname = name.Text;
        var colon = uname.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var type = uname[(colon + 1)..];
            uname = uname[..colon];
            if (type is not ("normal" or "member"))
            {
                builder.Warn(name.PosOf(colon + 1), $"node type '{type}' is ignored: clusterd runs resources on cluster members only");
            }
        }

        if (!AttributeRules.IsValidNodeName(uname))
        {
            throw new CrmSyntaxException(name.At, $"'{uname}' is not a valid node name");
        }

        if (id is { Length: 0 })
        {
            throw new CrmSyntaxException(name.At, "the node id is empty");
        }

        string? description = null;
        var attributes = new List<SourceAttribute>();
        var utilization = new List<SourceAttribute>();
        while (cursor.Peek() is { } t)
        {
            if (t.IsNameValue && t.Name == "description")
            {
                cursor.Next("a description");
                description = t.Value;
            }
            else if (cursor.TryWord("attributes"))
            {
                attributes.AddRange(Required(cursor, "attributes"));
            }
            else if (cursor.TryWord("utilization"))
            {
                utilization.AddRange(Required(cursor, "utilization"));
            }
            else
            {
                throw new CrmSyntaxException(t.At, $"expected 'attributes' or 'utilization' in node '{uname}', found '{t.Text}'");
            }
        }

        var what = $"node '{uname}'";
        builder.AddNode(
            new NodeDefinition(uname, id, builder.Map(attributes, what, AttributeRules.CheckNodeAttribute), builder.Map(utilization, what), description),
            name.At);
    }

    /// <summary><c>primitive ID AGENT [description=..] [[params] n=v ...] [meta n=v ...] [utilization n=v ...] [op NAME n=v ...]...</c>.</summary>
    private void Primitive(TokenCursor cursor)
    {
        var id = DeclareId(cursor, "primitive");
        var agentToken = cursor.NextWord("an agent such as ocf:heartbeat:Filesystem or lsb:mysql");
        if (agentToken.Text.StartsWith('@'))
        {
            throw new CrmSyntaxException(agentToken.At, "resource templates (@template) are not supported by clusterd");
        }

        if (!AgentSpec.TryParse(agentToken.Text, out var agent, out var problem))
        {
            throw new CrmSyntaxException(agentToken.At, problem!);
        }

        string? description = null;
        var parameters = new List<SourceAttribute>();
        var meta = new List<SourceAttribute>();
        var utilization = new List<SourceAttribute>();
        var operations = new List<Operation>();
        var opKeys = new Dictionary<(string, Duration), SourcePos>();
        var what = $"primitive '{id}'";
        while (cursor.Peek() is { } t)
        {
            if (t.IsNameValue)
            {
                cursor.Next("an attribute");
                if (t.Name == "description")
                {
                    description = t.Value;
                }
                else if (t.Name is not ("$id" or "$id-ref"))
                {
                    parameters.Add(t.ToAttribute());
                }
            }
            else if (cursor.TryWord("params"))
            {
                parameters.AddRange(Required(cursor, "params"));
            }
            else if (cursor.TryWord("meta"))
            {
                meta.AddRange(Required(cursor, "meta"));
            }
            else if (cursor.TryWord("utilization"))
            {
                utilization.AddRange(Required(cursor, "utilization"));
            }
            else if (cursor.TryWord("op"))
            {
                var name = cursor.NextWord("an operation name (start, stop, monitor, ...)");
                var op = builder.Operation(name.Text, name.At, cursor.NameValues(), what);
                if (op is not null)
                {
                    if (opKeys.TryGetValue((op.Name, op.Interval), out var first))
                    {
                        builder.Error(name.At, $"{what} has two '{op.Name}' operations with interval {op.Interval} (the first at line {first.Line}); Pacemaker identifies an operation by name and interval, so give each monitor its own interval");
                    }
                    else
                    {
                        opKeys[(op.Name, op.Interval)] = name.At;
                        operations.Add(op);
                    }
                }
            }
            else
            {
                throw new CrmSyntaxException(t.At, $"expected params, meta, utilization or op in {what}, found '{t.Text}'");
            }
        }

        builder.Add(new Primitive(
            id,
            agent!,
            builder.Map(parameters, $"params of {what}"),
            builder.Map(meta, $"meta of {what}", AttributeRules.CheckResourceMeta),
            [.. operations],
            builder.Map(utilization, $"utilization of {what}"),
            description));
    }

    /// <summary><c>group ID MEMBER... [description=..] [meta n=v ...]</c>.</summary>
    private void Group(TokenCursor cursor)
    {
        var id = DeclareId(cursor, "group");
        var what = $"group '{id}'";
        var members = new List<string>();
        while (cursor.Peek() is { IsNameValue: false } t && !t.IsWord("meta") && !t.IsWord("params"))
        {
            cursor.Next("a member");
            RejectSet(t, what);
            builder.Reference(t.Text, t.At, ConfigBuilder.ReferenceKind.GroupMember, what);
            members.Add(t.Text);
        }

        if (members.Count == 0)
        {
            throw new CrmSyntaxException(cursor.EndPos, $"expected at least one member primitive in {what}");
        }

        var (description, meta) = DescriptionAndMeta(cursor, what);
        builder.Add(new ResourceGroup(id, [.. members], builder.Map(meta, $"meta of {what}", AttributeRules.CheckResourceMeta), description));
    }

    /// <summary><c>clone ID CHILD [description=..] [meta n=v ...]</c>; <c>ms</c>/<c>master</c> are promotable clones.</summary>
    private void Clone(TokenCursor cursor, CrmToken keyword, bool promotable)
    {
        var id = DeclareId(cursor, "clone");
        var what = $"{keyword.Text} '{id}'";
        var child = cursor.NextWord("the id of the primitive or group to clone");
        RejectSet(child, what);
        builder.Reference(child.Text, child.At, ConfigBuilder.ReferenceKind.CloneChild, what);
        var (description, metaList) = DescriptionAndMeta(cursor, what);
        var (meta, metaPromotable) = builder.CloneMeta(metaList, $"meta of {what}");
        if (promotable && metaList.Any(a => a.Name == MetaNames.Promotable) && !metaPromotable)
        {
            builder.Warn(keyword.At, $"{what} sets promotable=false, but '{keyword.Text}' is always promotable");
        }

        builder.Add(new CloneResource(id, child.Text, promotable || metaPromotable, meta, description));
    }

    private static (string? Description, List<SourceAttribute> Meta) DescriptionAndMeta(TokenCursor cursor, string what)
    {
        string? description = null;
        var meta = new List<SourceAttribute>();
        while (cursor.Peek() is { } t)
        {
            if (t.IsNameValue && t.Name == "description")
            {
                cursor.Next("a description");
                description = t.Value;
            }
            else if (cursor.TryWord("meta"))
            {
                meta.AddRange(Required(cursor, "meta"));
            }
            else if (t.IsWord("params"))
            {
                throw new CrmSyntaxException(t.At, $"params on {what} are not supported: set params on the primitive");
            }
            else
            {
                throw new CrmSyntaxException(t.At, $"expected 'meta' in {what}, found '{t.Text}'");
            }
        }

        return (description, meta);
    }

    private static List<SourceAttribute> Required(TokenCursor cursor, string clause)
    {
        var list = cursor.NameValues();
        if (list.Count == 0 && cursor.Peek() is not { IsNameValue: true })
        {
            var at = cursor.Peek()?.At ?? cursor.EndPos;
            throw new CrmSyntaxException(at, $"expected name=value after '{clause}'");
        }

        return list;
    }
}
