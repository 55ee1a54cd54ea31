using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using ClusterD.Daemon.Controller;
using ClusterD.Daemon.Peers;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using Grpc.Core;

namespace ClusterD.Daemon.Admin;

/// <summary>The gRPC admin API: thin translations over membership, the controller and the event hub.</summary>
internal sealed class ClusterAdminService(
    MembershipService membership,
    ControllerHost controller,
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
        ControllerStatusMapper.Fill(reply, controller.Service.Snapshot, controller.Fencer.Fencer.History.Snapshot);
        return reply;
    }

    public override Task<CommandReply> Standby(StandbyRequest request, ServerCallContext context) =>
        ExecuteAsync(AdminCommandMapper.ToCommand(request, controller.Service.LocalNode), context);

    public override Task<CommandReply> Cleanup(CleanupRequest request, ServerCallContext context) =>
        ExecuteAsync(AdminCommandMapper.ToCommand(request), context);

    public override Task<CommandReply> MoveResource(MoveResourceRequest request, ServerCallContext context) =>
        ExecuteAsync(AdminCommandMapper.ToCommand(request), context);

    public override Task<CommandReply> ClearResource(ClearResourceRequest request, ServerCallContext context) =>
        ExecuteAsync(AdminCommandMapper.ToCommand(request), context);

    public override Task<CommandReply> Switchover(SwitchoverRequest request, ServerCallContext context) =>
        ExecuteAsync(AdminCommandMapper.ToCommand(request), context);

    public override Task<CommandReply> Maintenance(MaintenanceRequest request, ServerCallContext context) =>
        ExecuteAsync(AdminCommandMapper.ToCommand(request), context);

    public override Task<CommandReply> Fence(FenceNodeRequest request, ServerCallContext context) =>
        ExecuteAsync(AdminCommandMapper.ToCommand(request), context);

    public override async Task<CommandReply> LoadConfiguration(LoadConfigurationRequest request, ServerCallContext context)
    {
        var (command, warnings) = AdminCommandMapper.ToCommand(request);
        var reply = await ExecuteAsync(command, context);
        reply.Warnings.AddRange(warnings);
        return reply;
    }

    public override Task<GetConfigurationReply> GetConfiguration(GetConfigurationRequest request, ServerCallContext context) =>
        Task.FromResult(AdminCommandMapper.ToReply(controller.Service.Snapshot.Config));

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
            // Headers go out once the watcher is subscribed: a client that awaits them knows it sees every event that follows.
            await context.WriteResponseHeadersAsync([]);
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

    private async Task<CommandReply> ExecuteAsync(AdminCommand command, ServerCallContext context) =>
        AdminOutcomeMapper.ToReply(await controller.Service.ExecuteAsync(command, context.CancellationToken));
}
