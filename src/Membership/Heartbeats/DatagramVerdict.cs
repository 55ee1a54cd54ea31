namespace ClusterD.Membership.Heartbeats;

/// <summary>What became of one received datagram. Everything but <see cref="Accepted"/> is a drop, counted by reason.</summary>
public enum DatagramVerdict
{
    Accepted,
    Truncated,
    Oversized,
    BadMagic,
    UnsupportedVersion,
    WrongCluster,
    UnknownKey,
    BadMac,
    Malformed,
    NodelistMismatch,
    UnknownNode,
    FromSelf,
    StaleIncarnation,
    Replayed,
    TooOld,

    /// <summary>Dropped before decoding because the membership loop's backlog was full (a flood).</summary>
    Overloaded,
}
