using ClusterD.Admin.V1;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using Grpc.Core;

namespace ClusterD.Daemon.Admin;

/// <summary>The gRPC admin API: thin translations over the membership service and the event hub.</summary>
internal sealed class ClusterAdminService(MembershipService membership, EventHub events, ClusterConfiguration config)
    : ClusterAdmin.ClusterAdminBase
{
    public override async Task<ClusterStatusReply> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var snapshot = await membership.GetSnapshotAsync(context.CancellationToken);
        return AdminMapper.ToReply(snapshot, config.Nodes);
    }

    public override async Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<ClusterEvent> responseStream, ServerCallContext context)
    {
        using var watcher = events.Subscribe();
        try
        {
            await foreach (var e in watcher.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(e, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The watcher went away.
        }
    }
}
