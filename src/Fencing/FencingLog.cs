using Microsoft.Extensions.Logging;

namespace ClusterD.Fencing;

/// <summary>Fencing log messages, event ids 6000-6999. Device parameters are never logged: they hold credentials.</summary>
internal static partial class FencingLog
{
    [LoggerMessage(6000, LogLevel.Debug, "{Agent} {Action} plug '{Plug}': exit {ExitCode}, succeeded {Succeeded}, in {ElapsedMs} ms")]
    public static partial void AgentFinished(ILogger logger, string agent, string action, string plug, int exitCode, bool succeeded, long elapsedMs);

    [LoggerMessage(6001, LogLevel.Warning, "{Agent} metadata: {Warning}")]
    public static partial void MetadataWarning(ILogger logger, string agent, string warning);

    [LoggerMessage(6002, LogLevel.Warning, "Fencing {Target} ({Action}) requested by {Requester}: {Reason}")]
    public static partial void FenceRequested(ILogger logger, string target, string action, string requester, string reason);

    [LoggerMessage(6003, LogLevel.Information, "Fencing {Target}: waiting {DelayMs} ms ({Why}) before running {Device}")]
    public static partial void Waiting(ILogger logger, string target, long delayMs, string why, string device);

    [LoggerMessage(6004, LogLevel.Warning, "Fencing {Target} with {Device} ({Action}) failed in round {Round}: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string target, string device, string action, int round, string reason);

    [LoggerMessage(6005, LogLevel.Warning, "Fenced {Target} with {Device} ({Action}) in {ElapsedMs} ms")]
    public static partial void Fenced(ILogger logger, string target, string device, string action, long elapsedMs);

    [LoggerMessage(6006, LogLevel.Error, "Fencing {Target} failed after {ElapsedMs} ms: {Reason}")]
    public static partial void FenceFailed(ILogger logger, string target, long elapsedMs, string reason);

    [LoggerMessage(6007, LogLevel.Warning, "Fence device {Device} cannot tell which nodes it fences ({Check}): {Reason}")]
    public static partial void HostCheckFailed(ILogger logger, string device, string check, string reason);

    [LoggerMessage(6008, LogLevel.Warning, "Fencing configuration: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);

    [LoggerMessage(6100, LogLevel.Debug, "Azure {Method} {Path}: {Status} (client request id {ClientRequestId}, correlation id {CorrelationId}) in {ElapsedMs} ms")]
    public static partial void ArmCall(ILogger logger, string method, string path, int status, string clientRequestId, string correlationId, long elapsedMs);

    [LoggerMessage(6101, LogLevel.Warning, "Powering {Target} on again with {Device} after its reboot fence")]
    public static partial void PowerOnRequested(ILogger logger, string target, string device);

    [LoggerMessage(6102, LogLevel.Warning, "Powering {Target} on with {Device} failed: {Reason}")]
    public static partial void PowerOnFailed(ILogger logger, string target, string device, string reason);

    [LoggerMessage(6103, LogLevel.Warning, "Azure {Method} {Path}: {Status} {ErrorCode} (client request id {ClientRequestId}, correlation id {CorrelationId}) in {ElapsedMs} ms")]
    public static partial void ArmCallFailed(ILogger logger, string method, string path, int status, string errorCode, string clientRequestId, string correlationId, long elapsedMs);
}
