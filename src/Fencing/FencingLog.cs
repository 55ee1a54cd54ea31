using Microsoft.Extensions.Logging;

namespace ClusterD.Fencing;

/// <summary>Fencing log messages, event ids 6000-6999. Device parameters are never logged: they hold credentials.</summary>
internal static partial class FencingLog
{
    [LoggerMessage(6000, LogLevel.Debug, "{Agent} {Action} plug '{Plug}': exit {ExitCode}, succeeded {Succeeded}, in {ElapsedMs} ms")]
    public static partial void AgentFinished(ILogger logger, string agent, string action, string plug, int exitCode, bool succeeded, long elapsedMs);

    [LoggerMessage(6001, LogLevel.Warning, "{Agent} metadata: {Warning}")]
    public static partial void MetadataWarning(ILogger logger, string agent, string warning);
}
