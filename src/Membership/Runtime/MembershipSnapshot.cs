using System.Collections.Immutable;
using System.Net;
using ClusterD.Membership.Heartbeats;
using ClusterD.Membership.Quorum;
using ClusterD.Membership.Views;

namespace ClusterD.Membership.Runtime;

/// <summary>An immutable picture of one node's membership state, for status and tests.</summary>
/// <param name="Settling">Set while the node does not trust its view after a pause of its own (see <see cref="ViewSettling"/>).</param>
public sealed record MembershipSnapshot(
    string ClusterName,
    NodeId LocalNode,
    ulong Incarnation,
    MembershipView View,
    QuorumState Quorum,
    NodeId? Dc,
    ImmutableArray<NodeSnapshot> Nodes,
    ulong DatagramsAccepted,
    ImmutableDictionary<DatagramVerdict, ulong> Dropped,
    ViewSettling? Settling = null)
{
    /// <summary>False while this node distrusts its own view after a pause of its own (<see cref="Settling"/>): act on nothing in it.</summary>
    public bool ViewTrusted => Settling is null;
}

public enum NodeState
{
    /// <summary>Never heard since this daemon started.</summary>
    Unknown,
    Member,

    /// <summary>Dropped from the view after no heartbeat for token ms.</summary>
    Lost,

    /// <summary>Announced a clean shutdown.</summary>
    Left,
}

public sealed record NodeSnapshot(NodeId Id, string Name, bool IsLocal, NodeState State, ulong Incarnation, ImmutableArray<LinkSnapshot> Links);

/// <summary>Per-link heartbeat statistics toward one peer, so that a false suspicion can be explained.</summary>
public sealed record LinkSnapshot(int Link, IPEndPoint? Address, bool Up, TimeSpan? LastSeenAgo, TimeSpan? Rtt, ulong Received, ulong Lost);
