using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Heartbeats;

/// <summary>
/// A decoded (or to-be-encoded) membership datagram. Mutable and reused by its one owner so the
/// heartbeat path allocates nothing; never shared between threads.
/// </summary>
public sealed class HeartbeatFrame
{
    public HeartbeatKind Kind { get; set; } = HeartbeatKind.Heartbeat;

    public byte KeyId { get; set; }

    public NodeId Sender { get; set; }

    /// <summary>The sender's boot id: strictly greater after every restart.</summary>
    public ulong Incarnation { get; set; }

    /// <summary>Per (sender incarnation, receiver, link) sequence number, from 1.</summary>
    public ulong Seq { get; set; }

    public byte Link { get; set; }

    public ulong NodelistDigest { get; set; }

    /// <summary>The newest sequence number the sender received from the receiver on this link (0: none).</summary>
    public ulong EchoSeq { get; set; }

    /// <summary>How long the sender held <see cref="EchoSeq"/> before this datagram, in microseconds.</summary>
    public uint EchoDelayMicros { get; set; }

    public ulong InstalledSeq { get; set; }

    public uint InstalledMembers { get; set; }

    public ulong ProposalSeq { get; set; }

    public uint ProposalMembers { get; set; }

    public int RowCount { get; set; }

    public ConnectivityRow[] Rows { get; } = new ConnectivityRow[NodeList.MaxNodes];
}
