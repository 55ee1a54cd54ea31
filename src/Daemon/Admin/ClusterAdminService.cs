using ClusterD.Admin.V1;
using ClusterD.Daemon.Peers;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using Grpc.Core;

namespace ClusterD.Daemon.Admin;

/// <summary>The gRPC admin API: thin translations over the membership service and the event hub.</summary>
internal sealed class ClusterAdminService(
    MembershipService membership,
    EventHub events,
    ClusterConfiguration config,
    MessagingHost messaging,
    IHostApplicationLifetime lifetime)
    : ClusterAdmin.ClusterAdminBase
{
    public override async Task<ClusterStatusReply> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var snapshot = await membership.GetSnapshotAsync(context.CancellationToken);
        var reply = AdminMapper.ToReply(snapshot, config.Nodes, messaging.Network.Status());
        reply.MessagingRefusedSessions = messaging.Network.RefusedSessions;
        reply.MessagingRefusals.Add(messaging.Network.Refusals.ToDictionary());
        return reply;
    }

    public override async Task<BenchMessagingReply> BenchMessaging(BenchMessagingRequest request, ServerCallContext context)
    {
        try
        {
            return await messaging.Bench.RunAsync(request, context.CancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }

    public override async Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<ClusterEvent> responseStream, ServerCallContext context)
    {
        // Streams end when the watcher goes away or the daemon begins to stop (so a watcher never delays shutdown).
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        using var watcher = events.Subscribe();
        try
        {
            await foreach (var e in watcher.ReadAllAsync(ended.Token))
            {
                await responseStream.WriteAsync(e, ended.Token);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The watcher went away or the daemon is stopping.
        }
    }
}
