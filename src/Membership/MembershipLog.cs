using ClusterD.Membership.Heartbeats;
using Microsoft.Extensions.Logging;

namespace ClusterD.Membership;

/// <summary>Membership log messages, event ids 1000-1999.</summary>
internal static partial class MembershipLog
{
    [LoggerMessage(1000, LogLevel.Information, "Node {NodeName} (id {NodeId}, incarnation {Incarnation}) listening for heartbeats on {Links}")]
    public static partial void Started(ILogger logger, string nodeName, uint nodeId, ulong incarnation, string links);

    [LoggerMessage(1001, LogLevel.Information, "Installed view {RingId} with members [{Members}]")]
    public static partial void ViewInstalled(ILogger logger, string ringId, string members);

    [LoggerMessage(1002, LogLevel.Warning, "Node {NodeName} lost: no heartbeat on any link for {SilenceMs} ms (token {TokenMs} ms, view {RingId})")]
    public static partial void NodeLost(ILogger logger, string nodeName, double silenceMs, double tokenMs, string ringId);

    [LoggerMessage(1003, LogLevel.Information, "Node {NodeName} left cleanly (view {RingId})")]
    public static partial void NodeLeft(ILogger logger, string nodeName, string ringId);

    [LoggerMessage(1004, LogLevel.Information, "Node {NodeName} joined (view {RingId})")]
    public static partial void NodeJoined(ILogger logger, string nodeName, string ringId);

    [LoggerMessage(1005, LogLevel.Warning, "Quorum {State}: {TotalVotes} of {ExpectedVotes} expected votes, quorum is {Quorum}{Waiting}")]
    public static partial void QuorumChanged(ILogger logger, string state, uint totalVotes, uint expectedVotes, uint quorum, string waiting);

    [LoggerMessage(1006, LogLevel.Information, "DC is now {Dc}")]
    public static partial void DcChanged(ILogger logger, string dc);

    [LoggerMessage(1007, LogLevel.Warning, "Dropped {Count} datagrams in the last {Seconds} s: {Reasons}")]
    public static partial void DatagramsDropped(ILogger logger, ulong count, int seconds, string reasons);

    [LoggerMessage(1008, LogLevel.Information, "Cluster keys reloaded: sending with key id {SendingId}, accepting [{AcceptedIds}]")]
    public static partial void KeysReloaded(ILogger logger, byte sendingId, string acceptedIds);

    [LoggerMessage(1009, LogLevel.Information, "Announced a clean leave to the cluster")]
    public static partial void LeaveAnnounced(ILogger logger);

    [LoggerMessage(1010, LogLevel.Error, "Could not persist the ring sequence to {Path}")]
    public static partial void PersistFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1011, LogLevel.Error, "Receiving on membership link {Link} failed ({Error}); retrying")]
    public static partial void ReceiveFailed(ILogger logger, int link, string error);

    [LoggerMessage(1012, LogLevel.Warning,
        "This node did not run for {PauseMs} ms (more than the pause bound of {BoundMs} ms): its view is not trusted, and no peer is declared lost, until the peers are heard again (at most token, {TokenMs} ms)")]
    public static partial void PauseNoticed(ILogger logger, double pauseMs, double boundMs, double tokenMs);

    [LoggerMessage(1013, LogLevel.Information, "View {RingId} trusted again {AfterMs} ms after the pause{Replaced}")]
    public static partial void ViewTrusted(ILogger logger, string ringId, double afterMs, string replaced);

    public static string Describe(IReadOnlyDictionary<DatagramVerdict, ulong> counts) =>
        string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"));
}
