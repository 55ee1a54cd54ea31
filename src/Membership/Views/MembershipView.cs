using System.Collections.Immutable;

namespace ClusterD.Membership.Views;

/// <summary>A member of a view: a node id and the incarnation (boot) of that node in the view.</summary>
public readonly record struct ViewMember(NodeId Id, ulong Incarnation);

/// <summary>
/// An installed view. Invariants: <see cref="Ring"/> sequence numbers only increase on a node;
/// every member installed the same ring with the same member set; <see cref="Members"/> is sorted
/// by node id and its first entry is the ring's representative.
/// </summary>
public sealed record MembershipView(RingId Ring, ImmutableArray<ViewMember> Members)
{
    public static MembershipView None { get; } = new(RingId.None, []);

    public bool Contains(NodeId id) => Members.Any(m => m.Id == id);
}
