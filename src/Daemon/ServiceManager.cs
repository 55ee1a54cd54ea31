using Microsoft.Extensions.Hosting.Systemd;

namespace ClusterD.Daemon;

/// <summary>
/// systemd's notify protocol (Type=notify), sent by the daemon itself rather than at the host's
/// ApplicationStarted, because started is not yet serving: READY=1 goes when the caller says so,
/// STOPPING=1 as soon as stopping begins.
/// </summary>
internal static class ServiceManager
{
    public static void NotifyReady(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        if (!SystemdHelpers.IsSystemdService())
        {
            return;
        }

        var notifier = new SystemdNotifier();
        notifier.Notify(ServiceState.Ready);
        lifetime.ApplicationStopping.Register(() => notifier.Notify(ServiceState.Stopping));
    }
}
