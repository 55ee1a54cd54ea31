using Microsoft.Extensions.Logging;

namespace ClusterD.Messaging;

/// <summary>Messaging log messages, event ids 2000-2999.</summary>
internal static partial class MessagingLog
{
    [LoggerMessage(2000, LogLevel.Information, "Messaging session with {Peer} open ({Remote}, incarnation {Incarnation})")]
    public static partial void SessionOpened(ILogger logger, string peer, string remote, ulong incarnation);

    [LoggerMessage(EventId = 2001, Message = "Messaging session with {Peer} closed: {Reason}")]
    public static partial void SessionClosed(ILogger logger, string peer, string reason, LogLevel level);

    [LoggerMessage(2002, LogLevel.Debug, "Dialling {Peer} at {Address} failed: {Reason}")]
    public static partial void DialFailed(ILogger logger, string peer, string address, string reason);

    [LoggerMessage(2003, LogLevel.Warning, "Refused a messaging session from {Remote}: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, string remote, string reason);

    [LoggerMessage(2006, LogLevel.Warning, "{Count} more messaging sessions were refused in the last {Seconds} s (not logged one by one; see messagingRefusals in status)")]
    public static partial void RefusalsSuppressed(ILogger logger, long count, int seconds);

    [LoggerMessage(2007, LogLevel.Warning, "Nothing received from {Peer} for {Seconds} s (pings unanswered): closing the session")]
    public static partial void PeerSilent(ILogger logger, string peer, double seconds);

    [LoggerMessage(2004, LogLevel.Warning, "No handler for topic '{Topic}' (from node {From})")]
    public static partial void NoHandler(ILogger logger, string topic, uint from);

    [LoggerMessage(2005, LogLevel.Error, "Handler for '{Topic}' (from node {From}) failed")]
    public static partial void HandlerFailed(ILogger logger, string topic, uint from, Exception exception);
}
