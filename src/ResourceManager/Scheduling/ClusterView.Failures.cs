using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Scheduling;

// Reading what runs where and how each failure is handled. Severities follow Pacemaker's
// lib/pengine/unpack.c as summarized in the field notes (2.2): rc 1 soft, 2/3/4/5 hard (ban from the
// node), 6 fatal (ban everywhere), 7 from a probe is "not running", 8 is "running promoted", 9 a
// failed promoted instance (soft); a failed start bans the node (start-failure-is-fatal=true), a
// failed stop fences the node (on-fail=fence, the default when fencing is enabled) or blocks.
internal sealed partial class ClusterView
{
    private readonly HashSet<(string, string)> _failedRole = [];

    private void ReadInstances()
    {
        foreach (var resource in InOrdinalOrder(Status.Resources.AsImmutableArray(), r => r.Id))
        {
            Cancellation.ThrowIfCancellationRequested();
            if (resource.Instances.IsEmpty)
            {
                continue;
            }

            var known = Index.FindResource(resource.Id) is Primitive;
            var promotable = known && Index.IsPromotable(resource.Id);
            foreach (var instance in InOrdinalOrder(resource.Instances.AsImmutableArray(), i => i.Node))
            {
                if (instance.Role == InstanceRole.Stopped || FindNode(instance.Node) is not { } node)
                {
                    continue;
                }

                var role = instance.Role switch
                {
                    InstanceRole.Promoted => ResourceRole.Promoted,
                    _ when promotable => ResourceRole.Unpromoted,
                    _ => ResourceRole.Started,
                };
                if (!known)
                {
                    if (node.Reachable)
                    {
                        Orphans.Add((resource.Id, node.Name, role));
                    }

                    continue;
                }

                if (instance.Role == InstanceRole.Failed)
                {
                    _failedRole.Add((resource.Id, node.Name));
                }

                if (node.Lost)
                {
                    Map(_lost, resource.Id)[node.Name] = role;
                }
                else if (node.Online)
                {
                    Map(_active, resource.Id)[node.Name] = role;
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="items"/> sorted by <paramref name="key"/> (ordinal, stable). A status is usually
    /// written in that order already; then it is read as it is, without sorting thousands of entries.
    /// </summary>
    private static ImmutableArray<T> InOrdinalOrder<T>(ImmutableArray<T> items, Func<T, string> key)
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (string.CompareOrdinal(key(items[i - 1]), key(items[i])) > 0)
            {
                return [.. items.OrderBy(key, StringComparer.Ordinal)];
            }
        }

        return items;
    }

    private void ReadFailures()
    {
        // Only an instance with a failed operation, or one the status shows as failed, can end up with a
        // failure: the operations of the others (nearly all of a large status) are not grouped or sorted.
        var suspects = new HashSet<(string, string)>(_failedRole);
        foreach (var o in Status.Operations)
        {
            if (IsFailure(o))
            {
                suspects.Add((o.Resource, o.Node));
            }
        }

        var byInstance = Status.Operations
            .Where(o => suspects.Contains((o.Resource, o.Node)))
            .Where(o => o.Operation != "notify" && Index.FindResource(o.Resource) is Primitive && FindNode(o.Node) is { Online: true, Lost: false })
            .GroupBy(o => (o.Resource, o.Node))
            .OrderBy(g => g.Key.Resource, StringComparer.Ordinal).ThenBy(g => g.Key.Node, StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        foreach (var ops in byInstance)
        {
            Cancellation.ThrowIfCancellationRequested();
            seen.Add(ops.Key);
            OperationRecord? failed = null;
            foreach (var op in ops.OrderBy(o => o.CallId))
            {
                if (IsFailure(op))
                {
                    failed = op;
                }
                else if (op.Operation is "start" or "stop" or "promote" or "demote" || (op.Operation == "monitor" && op.Interval == Duration.Zero))
                {
                    failed = null;
                }
            }

            if (failed is not null)
            {
                Classify(failed);
            }
            else if (_failedRole.Contains(ops.Key))
            {
                Classify(new OperationRecord(ops.Key.Resource, ops.Key.Node, "monitor", Duration.Zero, 1, 0));
            }
        }

        foreach (var key in _failedRole.Where(k => !seen.Contains(k)).Order())
        {
            if (FindNode(key.Item2) is { Online: true, Lost: false })
            {
                Classify(new OperationRecord(key.Item1, key.Item2, "monitor", Duration.Zero, 1, 0));
            }
        }

        foreach (var count in Status.Failcounts.OrderBy(f => f.Resource, StringComparer.Ordinal).ThenBy(f => f.Node, StringComparer.Ordinal))
        {
            if (Index.FindResource(count.Resource) is not Primitive)
            {
                continue;
            }

            var meta = MetaOf(count.Resource);
            var threshold = meta.GetScore(MetaNames.MigrationThreshold) ?? Score.Infinity;
            if (threshold > Score.Zero && count.Count >= threshold && !Expired(count.Resource, count.LastFailure))
            {
                _bans.Add((count.Resource, count.Node));
            }
        }
    }

    private static bool IsFailure(OperationRecord op)
    {
        if (op.OpStatus != 0)
        {
            return true;
        }

        return op.RcCode switch
        {
            0 => false,
            7 => op.Operation != "stop" && !(op.Operation == "monitor" && op.Interval == Duration.Zero),
            8 => op.Operation is not ("monitor" or "promote"),
            _ => true,
        };
    }

    private void Classify(OperationRecord op)
    {
        var key = (op.Resource, op.Node);
        var primitive = (Primitive)Index.FindResource(op.Resource)!;
        var configured = primitive.FindOperation(op.Operation, op.Interval);
        var onFail = configured?.OnFail;
        var wasPromoted = op.RcCode == 9 || configured?.Role == ResourceRole.Promoted || CurrentRole(op.Resource, op.Node) == ResourceRole.Promoted;
        if (op.Operation != "stop" && Expired(op.Resource, op.LastRcChange))
        {
            return;
        }

        if (wasPromoted && _active.TryGetValue(op.Resource, out var active) && active.ContainsKey(op.Node))
        {
            active[op.Node] = ResourceRole.Promoted;
        }

        var node = FindNode(op.Node)!;
        FailureKind kind;
        if (op.Operation == "stop")
        {
            onFail ??= StonithEnabled ? OnFailPolicy.Fence : OnFailPolicy.Block;
            kind = onFail switch
            {
                OnFailPolicy.Ignore => FailureKind.None,
                OnFailPolicy.Fence when StonithEnabled => FenceNode(node, op),
                _ => FailureKind.Block,
            };
        }
        else
        {
            kind = onFail switch
            {
                OnFailPolicy.Ignore => FailureKind.None,
                OnFailPolicy.Block => FailureKind.Block,
                OnFailPolicy.Stop => FailureKind.StopResource,
                OnFailPolicy.Fence when StonithEnabled => FenceNode(node, op),
                OnFailPolicy.Fence => FailureKind.Block,
                OnFailPolicy.Standby => Standby(node),
                OnFailPolicy.Demote when wasPromoted => FailureKind.Demote,
                _ => BySeverity(op),
            };
        }

        if (kind == FailureKind.Block)
        {
            Warnings.Add($"{op.Resource} is blocked on {op.Node}: its {op.Operation} failed (rc {op.RcCode}) and nothing may recover it; clean it up by hand");
        }

        _failures[key] = new InstanceFailure(kind, op.Operation, op.RcCode, wasPromoted);
        switch (kind)
        {
            case FailureKind.Hard:
                _bans.Add(key);
                break;
            case FailureKind.Fatal:
                _bannedEverywhere.Add(op.Resource);
                break;
        }
    }

    private static FailureKind BySeverity(OperationRecord op)
    {
        if (op.OpStatus == 0 && op.RcCode == 6)
        {
            return FailureKind.Fatal;
        }

        if (op.Operation == "start" || (op.OpStatus == 0 && op.RcCode is 2 or 3 or 4 or 5))
        {
            return FailureKind.Hard;
        }

        return FailureKind.Soft;
    }

    private FailureKind FenceNode(NodeState node, OperationRecord op)
    {
        node.Lost = true;
        Warnings.Add($"{op.Resource} {op.Operation} failed on {node.Name} (rc {op.RcCode}): the node must be fenced before its resources are recovered");
        return FailureKind.None;
    }

    private static FailureKind Standby(NodeState node)
    {
        node.Standby = true;
        return FailureKind.Soft;
    }

    private bool Expired(string primitive, DateTimeOffset? when)
    {
        var timeout = MetaOf(primitive).GetDuration(MetaNames.FailureTimeout) ?? Duration.Zero;
        return timeout > Duration.Zero && Now is { } now && when is { } at && at + timeout.ToTimeSpan() <= now;
    }

    private void MarkLostNodes()
    {
        foreach (var node in Nodes.Where(n => n.Lost))
        {
            // Taken out of what is active, then recorded as lost by primitive id (ordinal): only the
            // node's own instances are sorted, not every active primitive.
            var moved = new List<(string Primitive, ResourceRole Role)>();
            foreach (var (primitive, map) in _active)
            {
                if (map.Remove(node.Name, out var role))
                {
                    moved.Add((primitive, role));
                }
            }

            moved.Sort(static (a, b) => string.CompareOrdinal(a.Primitive, b.Primitive));
            foreach (var (primitive, role) in moved)
            {
                Map(_lost, primitive)[node.Name] = role;
            }

            if (CanFence)
            {
                node.Fence = true;
            }
            else if (!StonithEnabled)
            {
                foreach (var map in _lost.Values)
                {
                    map.Remove(node.Name);
                }

                Warnings.Add($"{node.Name} is unclean and fencing is disabled: it is assumed down and its resources are recovered elsewhere; split brain is possible");
            }
            else
            {
                Warnings.Add($"{node.Name} is unclean but cannot be fenced without quorum: its resources stay blocked");
            }
        }
    }

    private static Dictionary<string, ResourceRole> Map(Dictionary<string, Dictionary<string, ResourceRole>> maps, string key)
    {
        if (!maps.TryGetValue(key, out var map))
        {
            map = new Dictionary<string, ResourceRole>(StringComparer.Ordinal);
            maps[key] = map;
        }

        return map;
    }
}
