using Microsoft.Extensions.Logging;

namespace ClusterD.Agents;

/// <summary>Agents log messages, event ids 4000-4999.</summary>
internal static partial class AgentsLog
{
    [LoggerMessage(4000, LogLevel.Warning, "{Program} (process group {Pgid}) {Completion} after {ElapsedMs} ms; terminating the group: {Members}")]
    public static partial void KillingGroup(ILogger logger, string program, int pgid, string completion, long elapsedMs, string members);

    [LoggerMessage(4001, LogLevel.Error, "Process group {Pgid} of {Program} survived SIGKILL for {WaitMs} ms: {Members}")]
    public static partial void GroupSurvivedKill(ILogger logger, int pgid, string program, long waitMs, string members);

    [LoggerMessage(4002, LogLevel.Warning, "Could not become a child subreaper; orphans of killed agents go to PID 1")]
    public static partial void SubreaperFailed(ILogger logger);

    [LoggerMessage(4003, LogLevel.Debug, "{Agent} {Action} {Instance}: {Result} in {ElapsedMs} ms")]
    public static partial void ActionFinished(ILogger logger, string agent, string action, string instance, string result, long elapsedMs);

    [LoggerMessage(4004, LogLevel.Warning, "{Agent} meta-data: {Warning}")]
    public static partial void MetadataWarning(ILogger logger, string agent, string warning);
}
