using ClusterD.Messaging.Security;

namespace ClusterD.Messaging.Peers;

/// <summary>What a node needs to open a link session: who it is, its keys, and the limits it enforces.</summary>
public sealed record HandshakeOptions(
    string ClusterName,
    uint LocalNode,
    ulong Incarnation,
    Func<AuthKeyRing> Keys,
    MessagingCipher Cipher,
    Func<uint, bool> IsKnownNode,
    int MaxBody,
    TimeSpan HandshakeTimeout)
{
    /// <summary>Incoming connections still in their handshake, from addresses outside the nodelist, at any one time; more are refused at once.</summary>
    public int MaxPendingHandshakes { get; init; } = 64;

    /// <summary>Incoming connections still in their handshake from one source address; more are refused at once.</summary>
    public int MaxPendingHandshakesPerSource { get; init; } = 4;

    /// <summary>A session from which nothing (not even a pong to the pings sent every second) arrived for this long is closed.</summary>
    public TimeSpan SilenceLimit { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes of messages one session may queue (besides the message count bound) before senders wait.</summary>
    public long QueueBytes { get; init; } = 4 << 20;
}
