using System.Collections.Immutable;
using ClusterD.Membership.Quorum;

namespace ClusterD.Membership.Views;

/// <summary>
/// One installed view and how it differs from the previous one. A node that restarted between
/// the two views appears in both <see cref="Lost"/> (or <see cref="Left"/>) and <see cref="Joined"/>.
/// </summary>
public sealed record ViewChange(
    MembershipView Previous,
    MembershipView Current,
    ImmutableArray<NodeId> Joined,
    ImmutableArray<NodeId> Lost,
    ImmutableArray<NodeId> Left,
    QuorumState Quorum,
    NodeId? Dc,
    TimeSpan At);
