using System.Text.Json;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>Maps the status JSON document to the model and back, checking what JSON types cannot.</summary>
internal static class StatusJsonMapper
{
    public static ClusterStatus ToStatus(StatusJsonDocument doc, Action<string, string> error, CancellationToken cancellationToken = default)
    {
        var nodes = new List<NodeStatus>();
        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (doc.Nodes?.Count ?? 0); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = doc.Nodes![i];
            var path = $"$.nodes[{i}]";
            if (n is null || string.IsNullOrEmpty(n.Name))
            {
                error($"{path}.name", "a node needs a non-empty name");
                continue;
            }

            if (!nodeNames.Add(n.Name))
            {
                error($"{path}.name", $"node '{n.Name}' is listed twice");
                continue;
            }

            nodes.Add(new NodeStatus(n.Name, n.Id, n.Online, n.Standby, n.Unclean, Attributes(n.Attributes, $"{path}.attributes", error), n.Pending));
        }

        void CheckNode(string node, string path)
        {
            if (doc.Nodes is not null && !nodeNames.Contains(node))
            {
                error(path, $"'{node}' is not one of the listed nodes");
            }
        }

        var resources = new List<ResourceStatus>();
        var resourceIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (doc.Resources?.Count ?? 0); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = doc.Resources![i];
            var path = $"$.resources[{i}]";
            if (r is null || string.IsNullOrEmpty(r.Id) || !resourceIds.Add(r.Id))
            {
                error($"{path}.id", r is null || string.IsNullOrEmpty(r.Id) ? "a resource needs a non-empty id" : $"resource '{r.Id}' is listed twice");
                continue;
            }

            var instances = new List<ResourceInstance>();
            for (var j = 0; j < (r.Instances?.Count ?? 0); j++)
            {
                var inst = r.Instances![j];
                var ipath = $"{path}.instances[{j}]";
                if (inst is null)
                {
                    error(ipath, "expected an object with node and role");
                    continue;
                }

                if (!Present(inst.Node, $"{ipath}.node", error))
                {
                    continue;
                }

                CheckNode(inst.Node, $"{ipath}.node");
                if (!TryParseRole(inst.Role, out var role))
                {
                    error($"{ipath}.role", $"'{inst.Role}' is not a role (Stopped, Started, Unpromoted, Promoted, Failed)");
                    continue;
                }

                instances.Add(new ResourceInstance(inst.Node, role));
            }

            resources.Add(new ResourceStatus(r.Id, r.Agent ?? "", [.. instances]));
        }

        var failcounts = new List<Failcount>();
        var failKeys = new HashSet<(string, string)>();
        for (var i = 0; i < (doc.Failcounts?.Count ?? 0); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var f = doc.Failcounts![i];
            var path = $"$.failcounts[{i}]";
            if (f is null)
            {
                error(path, "expected an object with resource, node and count");
                continue;
            }

            if (!Present(f.Resource, $"{path}.resource", error) | !Present(f.Node, $"{path}.node", error))
            {
                continue;
            }

            CheckNode(f.Node, $"{path}.node");
            if (f.Count < Score.Zero)
            {
                error($"{path}.count", "a fail count cannot be negative");
            }
            else if (!failKeys.Add((f.Resource, f.Node)))
            {
                error(path, $"the fail count of '{f.Resource}' on '{f.Node}' is listed twice");
            }
            else
            {
                failcounts.Add(new Failcount(f.Resource, f.Node, f.Count, f.LastFailure));
            }
        }

        var operations = new List<OperationRecord>();
        for (var i = 0; i < (doc.Operations?.Count ?? 0); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var o = doc.Operations![i];
            if (o is null)
            {
                error($"$.operations[{i}]", "expected an object");
                continue;
            }

            var opath = $"$.operations[{i}]";
            if (!Present(o.Resource, $"{opath}.resource", error) | !Present(o.Node, $"{opath}.node", error)
                | !Present(o.Operation, $"{opath}.operation", error))
            {
                continue;
            }

            CheckNode(o.Node, $"$.operations[{i}].node");
            operations.Add(new OperationRecord(o.Resource, o.Node, o.Operation, o.Interval, o.Rc, o.CallId, o.OpStatus, o.LastRcChange, o.ExecTime));
        }

        return new ClusterStatus
        {
            Cluster = doc.Cluster,
            Quorate = doc.Quorate,
            Dc = string.IsNullOrEmpty(doc.Dc) ? null : doc.Dc,
            RingId = string.IsNullOrEmpty(doc.RingId) ? null : doc.RingId,
            Nodes = [.. nodes],
            Resources = [.. resources],
            Failcounts = [.. failcounts],
            Operations = [.. operations],
        };
    }

    public static StatusJsonDocument ToDocument(ClusterStatus s) => new()
    {
        Cluster = s.Cluster,
        Quorate = s.Quorate,
        Dc = s.Dc,
        RingId = s.RingId,
        Nodes = [.. s.Nodes.Select(n => new StatusJsonNode
        {
            Name = n.Name,
            Id = n.Id,
            Online = n.Online,
            Standby = n.Standby,
            Unclean = n.Unclean,
            Pending = n.Pending,
            Attributes = n.Attributes.Items.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value, StatusJsonContext.Default.String)),
        })],
        Resources = [.. s.Resources.Select(r => new StatusJsonResource
        {
            Id = r.Id,
            Agent = r.Agent,
            Instances = [.. r.Instances.Select(i => new StatusJsonInstance { Node = i.Node, Role = i.Role.ToString() })],
        })],
        Failcounts = [.. s.Failcounts.Select(f => new StatusJsonFailcount { Resource = f.Resource, Node = f.Node, Count = f.Count, LastFailure = f.LastFailure })],
        Operations = [.. s.Operations.Select(o => new StatusJsonOperation
        {
            Resource = o.Resource,
            Node = o.Node,
            Operation = o.Operation,
            Interval = o.Interval,
            Rc = o.RcCode,
            CallId = o.CallId,
            OpStatus = o.OpStatus,
            LastRcChange = o.LastRcChange,
            ExecTime = o.ExecTime,
        })],
    };

    /// <summary>Stopped, Started, Unpromoted, Promoted, Failed in any case; Master/Slave as the old names.</summary>
    public static bool TryParseRole(string? text, out InstanceRole role)
    {
        role = default;
        if (string.Equals(text, "failed", StringComparison.OrdinalIgnoreCase))
        {
            role = InstanceRole.Failed;
            return true;
        }

        if (!ResourceRoles.TryParse(text, out var r))
        {
            return false;
        }

        role = r switch
        {
            ResourceRole.Started => InstanceRole.Started,
            ResourceRole.Unpromoted => InstanceRole.Unpromoted,
            ResourceRole.Promoted => InstanceRole.Promoted,
            _ => InstanceRole.Stopped,
        };
        return true;
    }

    /// <summary>A required string may still be given as null or empty; JSON types alone cannot say so.</summary>
    private static bool Present(string? value, string path, Action<string, string> error)
    {
        if (!string.IsNullOrEmpty(value))
        {
            return true;
        }

        error(path, "a non-empty string is required");
        return false;
    }

    private static AttributeMap Attributes(Dictionary<string, JsonElement>? attributes, string path, Action<string, string> error)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in attributes ?? [])
        {
            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (text is null)
            {
                error($"{path}.{name}", "an attribute value must be a string, a number or a boolean");
                continue;
            }

            pairs.Add(KeyValuePair.Create(name, text));
        }

        return AttributeMap.Create(pairs);
    }
}
