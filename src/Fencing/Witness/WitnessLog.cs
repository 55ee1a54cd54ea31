using Microsoft.Extensions.Logging;

namespace ClusterD.Fencing.Witness;

/// <summary>Cloud witness log messages, event ids 6200-6299. Tokens and credentials are never logged.</summary>
internal static partial class WitnessLog
{
    [LoggerMessage(6200, LogLevel.Debug, "Witness {What} {Path}: {Status} {ErrorCode} ({Ids}) in {ElapsedMs} ms")]
    public static partial void BlobCall(ILogger logger, string what, string path, int status, string errorCode, string ids, long elapsedMs);

    [LoggerMessage(6202, LogLevel.Information, "Witness {Witness} ready: {Detail}")]
    public static partial void Ready(ILogger logger, string witness, string detail);

    [LoggerMessage(6203, LogLevel.Warning, "Witness {Witness} not reachable: {Detail}; a fence race would fall back to priority-fencing-delay")]
    public static partial void NotReady(ILogger logger, string witness, string detail);

    [LoggerMessage(6201, LogLevel.Warning, "Witness: {Message}")]
    public static partial void Decision(ILogger logger, string message);
}
