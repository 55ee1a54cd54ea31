using System.Runtime.InteropServices;
using ClusterD.Admin.V1;
using ClusterD.Daemon.Admin;
using ClusterD.Daemon.Controller;
using ClusterD.Daemon.Peers;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using ClusterD.Messaging.Security;
using ClusterD.Platform;

namespace ClusterD.Daemon;

/// <summary>The composition root of a running clusterd: hosting, the admin gRPC server on the Unix socket, membership.</summary>
internal static class DaemonHost
{
    /// <summary>
    /// How long stopping may take: the controller first moves this node's resources away (at most
    /// <see cref="ControllerHost.LeaveTimeout"/>); membership's leave and the node-to-node sessions then
    /// close in milliseconds; the admin socket's connections are told to go (GOAWAY) and are cut at this bound.
    /// </summary>
    private static readonly TimeSpan ShutdownTimeout = ControllerHost.LeaveTimeout + TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(ClusterConfiguration config, NodeConfig local, AuthKeyRing keys)
    {
        var socket = config.ClusterD.AdminSocket;
        if (UnixSocketFile.Prepare(socket) is { } socketProblem)
        {
            await Console.Error.WriteLineAsync($"clusterd: {config.SourceFile}: admin_socket: {socketProblem}");
            return ExitCodes.Config;
        }

        Directory.CreateDirectory(config.ClusterD.StateDir);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(config.Logging.Debug ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        var access = AdminAccess(config);
        builder.WebHost.ConfigureKestrel(o => AdminSocketLimits.Apply(o, socket, o.ApplicationServices.GetRequiredService<AdminConnectionGate>()));

        var identity = new LocalIdentity(local, new MembershipStateStore(config.ClusterD.StateDir).NextIncarnation(TimeProvider.System.GetUtcNow()));
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(new ClusterKeys(keys));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventHub>();
        builder.Services.AddSingleton<IViewChangeSink>(sp => sp.GetRequiredService<EventHub>());
        builder.Services.AddSingleton<MembershipService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MembershipService>());
        builder.Services.AddSingleton<MessagingHost>();
        builder.Services.AddSingleton<IViewChangeSink>(sp => sp.GetRequiredService<MessagingHost>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MessagingHost>());
        builder.Services.AddSingleton<DaemonFencer>();
        builder.Services.AddSingleton(sp =>
        {
            // The controller's events reach WatchEvents from its first input on.
            var controller = ActivatorUtilities.CreateInstance<ControllerHost>(sp);
            controller.Service.Published += sp.GetRequiredService<EventHub>().Publish;
            return controller;
        });
        builder.Services.AddSingleton<IViewChangeSink>(sp => sp.GetRequiredService<ControllerHost>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ControllerHost>());
        builder.Services.AddSingleton(access.Policy);
        builder.Services.AddSingleton(access.Budget);
        builder.Services.AddSingleton<AdminConnectionGate>();
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = AdminLimits.MaxRequestBytes;
            o.EnableDetailedErrors = false;
            o.Interceptors.Add<AdminAuthorizationInterceptor>();
        });

        await using var app = builder.Build();
        app.MapGrpcService<ClusterAdminService>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ClusterD.Daemon");
        foreach (var (setting, group) in access.UnknownGroups)
        {
            DaemonLog.AdminGroupUnknown(logger, setting, group);
        }

        foreach (var warning in config.Warnings)
        {
            DaemonLog.ConfigWarning(logger, warning.ToString());
        }

        if (config.Logging.ToLogfile)
        {
            DaemonLog.LogfileNotWritten(logger, config.Logging.LogFile ?? "(no logfile given)");
        }

        var membership = app.Services.GetRequiredService<MembershipService>();
        using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP reloads the keys; it must not end the daemon
            try
            {
                var reloaded = KeyRingLoader.Load(ClusterConfigurationLoader.Load(config.SourceFile).ClusterD);
                app.Services.GetRequiredService<ClusterKeys>().Current = reloaded;
                membership.ReloadKeys(reloaded);
            }
            catch (Exception e)
            {
                // Nothing thrown here may end the daemon: a bad reload keeps the old keys.
                DaemonLog.KeyReloadFailed(logger, e.Message);
            }
        });

        // Kestrel creates the admin socket during start: 0660 until it is secured (below), never wider.
        var umask = Posix.SetUmask(Convert.ToInt32("117", 8));
        try
        {
            await app.StartAsync();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await Console.Error.WriteLineAsync($"clusterd: cannot listen for node-to-node messages on port {config.ClusterD.MessagingPort} of {local.Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            // A service failed while the host was starting and stopped it; membership's reason is reported below.
        }
        finally
        {
            Posix.SetUmask(umask);
        }

        try
        {
            await membership.Ready.WaitAsync(app.Lifetime.ApplicationStopping);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"clusterd: membership could not start on {local.Name}: {e.Message}");
            await app.StopAsync();
            return ExitCodes.Failure;
        }

        var groupProblem = UnixSocketFile.Secure(socket, config.ClusterD.AdminSocketGroup);
        if (groupProblem is not null)
        {
            DaemonLog.SocketGroupFailed(logger, config.ClusterD.AdminSocketGroup!, socket, groupProblem);
        }

        var ours = UnixSocketFile.SocketInode(socket);
        DaemonLog.AdminListening(logger, socket, config.ClusterD.AdminSocketGroup is { } g ? $", group {g}" : "");

        // Ready only now: the UDP links are bound (membership.Ready), the messaging listener is bound
        // (MessagingHost.StartAsync, within app.StartAsync) and the admin socket accepts calls.
        ServiceManager.NotifyReady(app.Lifetime);
        await app.WaitForShutdownAsync();
        UnixSocketFile.DeleteIfOurs(socket, ours);

        // Membership failing after start stops the host; that is a failure for systemd to restart, not a clean exit.
        return membership.ExecuteTask is { IsFaulted: true } ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static (AdminAccessPolicy Policy, AdminConnectionBudget Budget, List<(string Setting, string Group)> UnknownGroups) AdminAccess(ClusterConfiguration config)
    {
        var unknown = new List<(string, string)>();
        AdminGroup? Resolve(string setting, string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            if (UnixSocketFile.GroupId(name) is { } gid)
            {
                return new AdminGroup(name, gid);
            }

            unknown.Add((setting, name));
            return null;
        }

        var policy = new AdminAccessPolicy(
            ProcessIdentity.EffectiveUserId,
            Resolve("clusterd.admin_socket_group", config.ClusterD.AdminSocketGroup),
            Resolve("clusterd.admin_readonly_group", config.ClusterD.AdminReadOnlyGroup));
        var budget = new AdminConnectionBudget(
            AdminSocketLimits.MaxConnections, AdminSocketLimits.MaxUntrustedConnections, AdminSocketLimits.MaxConnectionsPerUid,
            policy.IsTrusted);
        return (policy, budget, unknown);
    }
}
