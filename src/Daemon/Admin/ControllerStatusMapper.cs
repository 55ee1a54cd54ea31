using ClusterD.Admin.V1;
using ClusterD.Controller.Runtime;
using ClusterD.Fencing.History;
using ClusterD.ResourceManager.Configuration;
using Google.Protobuf.WellKnownTypes;
using ClusterStatus = ClusterD.ResourceManager.Status.ClusterStatus;
using ResourceState = ClusterD.ResourceManager.Status.ResourceStatus;

namespace ClusterD.Daemon.Admin;

/// <summary>
/// Adds the controller's view to a status reply: resources per primitive in the documented
/// <c>status --json</c> shape (docs/status-json.md), fail counts, failed actions, pending actions,
/// warnings, standby from the configuration's <c>standby</c> node attribute, and the fence history.
/// </summary>
internal static class ControllerStatusMapper
{
    public static void Fill(ClusterStatusReply reply, ControllerSnapshot snapshot, IEnumerable<FenceHistoryEntry> fencing)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(fencing);
        var index = new ConfigIndex(snapshot.Config);
        var status = snapshot.Status;
        reply.IsDc = snapshot.IsDc;
        reply.MaintenanceMode = snapshot.Config.Properties.IsMaintenanceMode;
        reply.Warnings.AddRange(snapshot.Warnings);
        foreach (var node in reply.Nodes)
        {
            node.Standby = index.FindNode(node.Name)?.Standby ?? false;
            node.Unclean = snapshot.IsUnclean(node.Name, reply.RingId, node.Unclean);
        }

        reply.Resources.AddRange(Resources(index, status));
        reply.Failcounts.AddRange(status.Failcounts.Select(f => new FailcountStatus
        {
            Resource = f.Resource,
            Node = f.Node,
            Count = f.Count.Value,
            LastFailure = f.LastFailure is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        }));
        reply.FailedActions.AddRange(snapshot.FailedActions.Select(e => new FailedAction
        {
            Time = Timestamp.FromDateTimeOffset(e.Time),
            Resource = e.Resource ?? "",
            Node = e.Node ?? "",
            Action = e.Action ?? "",
            Message = e.Message,
            DurationMs = e.Duration is { } d ? (long)Math.Ceiling(d.TotalMilliseconds) : 0,
        }));
        reply.PendingActions.AddRange(status.Operations.Where(o => o.OpStatus == -1).Select(o => new PendingAction
        {
            Resource = o.Resource,
            Node = o.Node,
            Action = o.Operation,
            IntervalMs = o.Interval.Milliseconds,
        }));
        reply.Fencing.AddRange(fencing.Select(ToStatus));
        if (snapshot.Watchdog is { } watchdog)
        {
            reply.Watchdog = new WatchdogStatus
            {
                Device = watchdog.Device,
                TimeoutMs = (long)watchdog.Timeout.TotalMilliseconds,
                Armed = watchdog.Armed,
                LastFeed = watchdog.LastFeed is { } fed ? Timestamp.FromDateTimeOffset(fed) : null,
                Starving = watchdog.Starving ?? "",
                StarvingSince = watchdog.StarvingSince is { } since ? Timestamp.FromDateTimeOffset(since) : null,
                Detail = snapshot.WatchdogDetail ?? "",
            };
        }

        reply.ScheduledEventsState = snapshot.ScheduledEventsState ?? "";
        reply.ScheduledEvents.AddRange(snapshot.ScheduledEvents.Select(e =>
        {
            var status = new ScheduledEventStatus
            {
                EventId = e.EventId,
                Type = e.Type,
                Status = e.Status,
                NotBefore = e.NotBefore is { } nb ? Timestamp.FromDateTimeOffset(nb) : null,
                Decision = e.Decision,
                Acknowledged = e.Acknowledged,
                CoveredUntil = e.CoveredUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            };
            status.Nodes.AddRange(e.Nodes);
            return status;
        }));
    }

    /// <summary>Every configured primitive, top-level resources expanded in order (a group's members, a clone's child), then any that run but are no longer configured.</summary>
    private static IEnumerable<ResourceStatus> Resources(ConfigIndex index, ClusterStatus status)
    {
        var configured = index.TopLevel.SelectMany(top => index.PrimitivesOf(top.Id)).ToList();
        foreach (var primitive in configured)
        {
            var resource = new ResourceStatus
            {
                Id = primitive.Id,
                Agent = primitive.Agent.ToString(),
                GroupId = index.ParentOf(primitive.Id) is ResourceGroup group ? group.Id : "",
                CloneId = index.CloneOf(primitive.Id)?.Id ?? "",
                Promotable = index.IsPromotable(primitive.Id),
            };
            resource.Instances.AddRange(Instances(status.FindResource(primitive.Id)));
            yield return resource;
        }

        var known = configured.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in status.Resources.Where(r => !known.Contains(r.Id)))
        {
            var resource = new ResourceStatus { Id = orphan.Id, Agent = orphan.Agent };
            resource.Instances.AddRange(Instances(orphan));
            yield return resource;
        }
    }

    private static IEnumerable<ResourceInstance> Instances(ResourceState? resource) =>
        resource is null
            ? []
            : resource.Instances.Select(i => new ResourceInstance { Node = i.Node, Role = i.Role.ToString() });

    private static FenceRecordStatus ToStatus(FenceHistoryEntry entry) => new()
    {
        Target = entry.Target,
        Device = entry.Device ?? "",
        RequestedBy = entry.Requester,
        Action = entry.Action.ToString().ToLowerInvariant(),
        Result = entry.Result.ToString().ToLowerInvariant(),
        Reason = entry.Reason,
        Detail = entry.Detail ?? "",
        Requested = Timestamp.FromDateTimeOffset(entry.Requested),
        Completed = entry.Completed is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };
}
