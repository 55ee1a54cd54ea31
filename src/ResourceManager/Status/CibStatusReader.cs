using System.Globalization;
using System.Xml.Linq;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// Reads a CIB's <c>status</c> section: node states, transient attributes (promotion scores,
/// fail counts) and the operation history, replayed per resource and node into the current role.
/// </summary>
internal sealed class CibStatusReader(ConfigBuilder builder, ClusterConfig config)
{
    private const string FailCountPrefix = "fail-count-";
    private const string LastFailurePrefix = "last-failure-";

    private readonly ConfigIndex _index = new(config);
    private readonly Dictionary<(string Resource, string Node), (Score Count, DateTimeOffset? Last)> _failures = [];
    private readonly Dictionary<string, (string Agent, Dictionary<string, InstanceRole> Roles)> _resources = new(StringComparer.Ordinal);
    private readonly List<OperationRecord> _operations = [];

    public ClusterStatus Read(XElement cib, XElement status)
    {
        var nodes = new List<NodeStatus>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in status.Elements("node_state"))
        {
            var uname = CibXml.Attr(state, "uname");
            if (uname is null)
            {
                // Pacemaker 2.1.5 skips it (history included) rather than looking the id up in <nodes>.
                builder.Warn(CibXml.Pos(state), $"<node_state id=\"{CibXml.Attr(state, "id")}\"> without a uname is ignored, as Pacemaker does");
                continue;
            }

            if (!AttributeRules.IsValidNodeName(uname))
            {
                builder.Error(CibXml.Pos(state), $"'{uname}' is not a valid node name");
                continue;
            }

            if (!seen.Add(uname!))
            {
                builder.Error(CibXml.Pos(state), $"node_state for '{uname}' appears twice");
                continue;
            }

            nodes.Add(Node(state, uname!));
        }

        // Configured nodes without a node_state were never seen: offline and clean (see docs/resource-config.md).
        foreach (var node in config.Nodes.Where(n => !seen.Contains(n.Name)))
        {
            nodes.Add(new NodeStatus(node.Name, node.Id, Standby: node.Standby));
        }

        var dcId = CibXml.Attr(cib, "dc-uuid");
        return new ClusterStatus
        {
            Cluster = config.Properties.Other.Get("cluster-name"),
            Quorate = AttributeValues.TryParseBool(CibXml.Attr(cib, "have-quorum"), out var q) && q,
            Dc = dcId is null ? null : nodes.FirstOrDefault(n => n.Id == dcId)?.Name,
            Nodes = [.. nodes],
            Resources = [.. Resources()],
            Failcounts = [.. _failures.Select(f => new Failcount(f.Key.Resource, f.Key.Node, f.Value.Count, f.Value.Last))],
            Operations = [.. _operations],
        };
    }

    private NodeStatus Node(XElement state, string uname)
    {
        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var a in state.Elements("transient_attributes").SelectMany(t => CibXml.NvPairs(t, "instance_attributes", builder)))
        {
            if (a.Name.StartsWith(FailCountPrefix, StringComparison.Ordinal))
            {
                AddFailCount(ResourceOfFailAttribute(a.Name[FailCountPrefix.Length..]), uname, a);
            }
            else if (a.Name.StartsWith(LastFailurePrefix, StringComparison.Ordinal))
            {
                AddLastFailure(ResourceOfFailAttribute(a.Name[LastFailurePrefix.Length..]), uname, a);
            }
            else if (attributes.All(p => p.Key != a.Name))
            {
                attributes.Add(KeyValuePair.Create(a.Name, a.Value));
            }
        }

        var transient = AttributeMap.Create(attributes);
        var membership = NodeMembership.Of(
            CibXml.Attr(state, "in_ccm"),
            CibXml.Attr(state, "crmd"),
            CibXml.Attr(state, "join"),
            CibXml.Attr(state, "expected"),
            transient.Get("shutdown"),
            config.Properties.IsStonithEnabled);
        var standby = transient.GetBool(MetaNames.Standby) ?? _index.FindNode(uname)?.Standby ?? false;
        foreach (var resource in state.Elements("lrm").Elements("lrm_resources").Elements("lrm_resource"))
        {
            builder.Cancellation.ThrowIfCancellationRequested();
            History(resource, uname);
        }

        // A managed resource still recorded active on a node that is not online: Pacemaker cannot know it
        // stopped and fences the node (with fencing enabled), whatever the node state says.
        var unclean = membership.State == NodeMembership.Kind.Unclean
            || (config.Properties.IsStonithEnabled && !membership.Online && ActiveManagedOn(uname));
        var online = membership.State == NodeMembership.Kind.Online;

        // Pending in the membership: what its history shows active is still active there, but nothing
        // can run or stop there until it joins. Out of the membership it is simply offline (not probed).
        var pending = !unclean && membership.State == NodeMembership.Kind.Pending && membership.Online;
        return new NodeStatus(uname, CibXml.Attr(state, "id"), online, standby || membership.ShuttingDown, unclean, transient, pending);
    }

    private bool ActiveManagedOn(string node) =>
        !config.Properties.IsMaintenanceMode
        && _resources.Any(r => r.Value.Roles.GetValueOrDefault(node, InstanceRole.Stopped) != InstanceRole.Stopped && IsManaged(r.Key));

    private bool IsManaged(string resource)
    {
        var meta = _index.EffectiveMeta(resource);
        return meta.GetBool(MetaNames.IsManaged) is not false && meta.GetBool(MetaNames.Maintenance) is not true;
    }

    // fail-count-RSC#OP_INTERVAL (Pacemaker 2.0+) or fail-count-RSC (1.x); RSC may carry a :N clone instance suffix.
    private static string ResourceOfFailAttribute(string rest)
    {
        var hash = rest.LastIndexOf('#');
        return StripInstance(hash > 0 ? rest[..hash] : rest);
    }

    private static string StripInstance(string id)
    {
        var colon = id.LastIndexOf(':');
        return colon > 0 && id[(colon + 1)..].All(char.IsAsciiDigit) ? id[..colon] : id;
    }

    private void AddFailCount(string resource, string node, SourceAttribute a)
    {
        if (!Score.TryParse(a.Value, out var count) || count < Score.Zero)
        {
            builder.Error(a.ValueAt, $"{a.Name} '{a.Value}' is not a fail count (a non-negative integer or INFINITY)");
            return;
        }

        var current = _failures.GetValueOrDefault((resource, node), (Score.Zero, null));
        _failures[(resource, node)] = (current.Count + count, current.Last);
    }

    private void AddLastFailure(string resource, string node, SourceAttribute a)
    {
        if (!long.TryParse(a.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            builder.Error(a.ValueAt, $"{a.Name} '{a.Value}' is not a time in seconds since the epoch");
            return;
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var current = _failures.GetValueOrDefault((resource, node), (Score.Zero, null));
        _failures[(resource, node)] = (current.Count, current.Last is { } last && last > time ? last : time);
    }

    private void History(XElement resource, string node)
    {
        var rawId = CibXml.Attr(resource, "id");
        if (string.IsNullOrEmpty(rawId))
        {
            builder.Error(CibXml.Pos(resource), "<lrm_resource> without an id");
            return;
        }

        var id = StripInstance(rawId);
        var configured = _index.FindResource(id) as Primitive;
        if (configured is null)
        {
            builder.Warn(CibXml.Pos(resource), $"resource '{id}' in the status of node '{node}' is not in the configuration (an orphan)");
        }

        var agent = configured?.Agent.ToString()
            ?? (CibXml.Attr(resource, "provider") is { } p
                ? $"{CibXml.Attr(resource, "class")}:{p}:{CibXml.Attr(resource, "type")}"
                : $"{CibXml.Attr(resource, "class")}:{CibXml.Attr(resource, "type")}");
        var ops = new List<OperationRecord>();
        foreach (var op in resource.Elements("lrm_rsc_op"))
        {
            if (Operation(op, id, node) is { } record)
            {
                ops.Add(record);
            }
        }

        // The latest result per operation key (name + interval) is the history Pacemaker keeps.
        foreach (var latest in ops.GroupBy(o => (o.Operation, o.Interval)).Select(g => g.MaxBy(o => o.CallId)!))
        {
            _operations.Add(latest);
        }

        var role = OperationHistory.RoleOf(ops, _index.IsPromotable(id));

        if (!_resources.TryGetValue(id, out var entry))
        {
            entry = (agent, new Dictionary<string, InstanceRole>(StringComparer.Ordinal));
            _resources[id] = entry;
        }

        entry.Roles[node] = role;
    }

    private OperationRecord? Operation(XElement op, string resource, string node)
    {
        var name = CibXml.Attr(op, "operation");
        if (string.IsNullOrEmpty(name))
        {
            builder.Error(CibXml.Pos(op), "<lrm_rsc_op> without an operation");
            return null;
        }

        int Int(string attribute, int fallback)
        {
            var text = CibXml.Attr(op, attribute);
            if (text is null)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            builder.Error(CibXml.AttrPos(op, attribute), $"{attribute} '{text}' is not an integer");
            return fallback;
        }

        var interval = Int("interval", 0);
        var changed = Int("last-rc-change", -1);
        var exec = Int("exec-time", -1);
        return new OperationRecord(
            resource,
            node,
            name,
            new Duration(Math.Max(0, interval)),
            Int("rc-code", 0),
            Int("call-id", -1),
            Int("op-status", 0),
            changed >= 0 ? DateTimeOffset.FromUnixTimeSeconds(changed) : null,
            exec >= 0 ? new Duration(exec) : null);
    }

    private IEnumerable<ResourceStatus> Resources()
    {
        // Every configured primitive is listed (no instance = stopped everywhere), then orphans.
        foreach (var primitive in config.Primitives)
        {
            var roles = _resources.GetValueOrDefault(primitive.Id).Roles;
            yield return new ResourceStatus(primitive.Id, primitive.Agent.ToString(), Instances(roles));
        }

        foreach (var (id, (agent, roles)) in _resources.Where(r => _index.FindResource(r.Key) is not Primitive))
        {
            yield return new ResourceStatus(id, agent, Instances(roles));
        }
    }

    private static EquatableArray<ResourceInstance> Instances(Dictionary<string, InstanceRole>? roles) =>
        roles is null ? [] : [.. roles.Where(r => r.Value != InstanceRole.Stopped).Select(r => new ResourceInstance(r.Key, r.Value))];
}
