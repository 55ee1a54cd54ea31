using System.Runtime.InteropServices;
using ClusterD.Daemon.Admin;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using ClusterD.Messaging.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterD.Daemon;

/// <summary>The composition root of a running clusterd: hosting, the admin gRPC server on the Unix socket, membership.</summary>
internal static class DaemonHost
{
    public static async Task<int> RunAsync(ClusterConfiguration config, NodeConfig local, AuthKeyRing keys)
    {
        var socket = config.ClusterD.AdminSocket;
        UnixSocketFile.Prepare(socket);
        Directory.CreateDirectory(config.ClusterD.StateDir);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Host.UseSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
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
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http2);
            o.Limits.MaxRequestBodySize = 1 << 20;
        });

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(local);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventHub>();
        builder.Services.AddSingleton<IViewChangeSink>(sp => sp.GetRequiredService<EventHub>());
        builder.Services.AddSingleton<MembershipService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MembershipService>());
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = 1 << 20;
            o.EnableDetailedErrors = false;
        });

        await using var app = builder.Build();
        app.MapGrpcService<ClusterAdminService>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ClusterD.Daemon");
        foreach (var warning in config.Warnings)
        {
            DaemonLog.ConfigWarning(logger, warning.ToString());
        }

        if (config.Logging.ToLogfile)
        {
            DaemonLog.LogfileNotWritten(logger, config.Logging.LogFile ?? "(no logfile given)");
        }

        foreach (var path in new[] { config.ClusterD.AuthKey }.Concat(config.ClusterD.AuthKeyAccept).Where(AuthKeyFile.IsTooOpen))
        {
            DaemonLog.KeyTooOpen(logger, path);
        }

        var membership = app.Services.GetRequiredService<MembershipService>();
        using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP reloads the keys; it must not end the daemon
            try
            {
                membership.ReloadKeys(KeyRingLoader.Load(ClusterConfigurationLoader.Load(config.SourceFile).ClusterD));
            }
            catch (Exception e) when (e is AuthKeyFileException or ConfigException)
            {
                DaemonLog.KeyReloadFailed(logger, e.Message);
            }
        });

        await app.StartAsync();
        try
        {
            await membership.Ready;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"clusterd: cannot bind the membership links of {local.Name}: {e.Message}");
            await app.StopAsync();
            return ExitCodes.Failure;
        }

        var groupProblem = UnixSocketFile.Secure(socket, config.ClusterD.AdminSocketGroup);
        if (groupProblem is not null)
        {
            DaemonLog.SocketGroupFailed(logger, config.ClusterD.AdminSocketGroup!, socket, groupProblem);
        }

        DaemonLog.AdminListening(logger, socket, config.ClusterD.AdminSocketGroup is { } g ? $", group {g}" : "");
        await app.WaitForShutdownAsync();
        TryDelete(socket);
        return ExitCodes.Ok;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next start to clean up.
        }
    }
}
