using System.Collections.Immutable;
using ClusterD.Membership.Quorum;

namespace ClusterD.Membership.Views;

/// <summary>
/// One installed view and how it differs from the previous one. A node that restarted between
/// the two views appears in both <see cref="Lost"/> (or <see cref="Left"/>) and <see cref="Joined"/>.
/// <see cref="QuorumChanged"/> and <see cref="DcChanged"/> say whether this view changed quorum or the DC
/// compared with the view before it; the first view this node installs changes both.
/// </summary>
public sealed record ViewChange(
    MembershipView Previous,
    MembershipView Current,
    ImmutableArray<NodeId> Joined,
    ImmutableArray<NodeId> Lost,
    ImmutableArray<NodeId> Left,
    QuorumState Quorum,
    NodeId? Dc,
    TimeSpan At)
{
    /// <summary>The quorate flag differs from the previous view's (always true for the first view).</summary>
    public bool QuorumChanged { get; init; }

    /// <summary>The DC differs from the previous view's (always true for the first view).</summary>
    public bool DcChanged { get; init; }

    /// <summary>For a view that lost nodes: how long the longest-silent of them had not been heard (the detection time); null otherwise.</summary>
    public TimeSpan? LostSilence { get; init; }
}
