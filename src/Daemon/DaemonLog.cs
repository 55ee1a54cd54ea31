using Microsoft.Extensions.Logging;

namespace ClusterD.Daemon;

/// <summary>Daemon log messages, event ids 5000-5999.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(5000, LogLevel.Warning, "{Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(5001, LogLevel.Information, "Admin API listening on {Socket} (mode 0666, each call authorised by the caller's credentials{Group})")]
    public static partial void AdminListening(ILogger logger, string socket, string group);

    [LoggerMessage(5003, LogLevel.Error, "Reloading the cluster keys failed, keeping the old ones: {Reason}")]
    public static partial void KeyReloadFailed(ILogger logger, string reason);

    [LoggerMessage(5004, LogLevel.Warning, "logging.to_logfile is set: clusterd logs to stderr (the journal under systemd) and does not write {LogFile}")]
    public static partial void LogfileNotWritten(ILogger logger, string logFile);

    [LoggerMessage(5005, LogLevel.Warning, "Could not set group {Group} on {Socket}: {Reason}")]
    public static partial void SocketGroupFailed(ILogger logger, string group, string socket, string reason);

    [LoggerMessage(5006, LogLevel.Warning, "Admin socket refused {Count} connection(s) since the last report (last from uid {Uid}; {Open} open; {Total} refused in all)")]
    public static partial void AdminConnectionsRefused(ILogger logger, long count, string uid, int open, long total);

    [LoggerMessage(5007, LogLevel.Warning, "Admin group {Setting} '{Group}' is not a known group: nobody gets access through it")]
    public static partial void AdminGroupUnknown(ILogger logger, string setting, string group);

    [LoggerMessage(5008, LogLevel.Debug, "Controller message to {Node} dropped: {Reason}")]
    public static partial void ControllerMessageDropped(ILogger logger, string node, string reason);

    [LoggerMessage(5009, LogLevel.Warning, "Configuration: {Warning}")]
    public static partial void ControllerConfigWarning(ILogger logger, string warning);

    [LoggerMessage(5010, LogLevel.Information, "Leaving the cluster: {Reason}")]
    public static partial void Leaving(ILogger logger, string reason);
}
