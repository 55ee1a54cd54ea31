using ClusterD.Membership.Views;

namespace ClusterD.Membership.Election;

/// <summary>
/// Chooses the DC, the one node that will schedule: the member with the lowest node id of a
/// quorate view, and nobody in a view without quorum. Every member computes it from the agreed
/// view alone, so all members name the same DC without another message round.
/// </summary>
public static class DcElection
{
    public static NodeId? Choose(MembershipView view, bool quorate)
    {
        ArgumentNullException.ThrowIfNull(view);
        return quorate && view.Members.Length > 0 ? view.Members[0].Id : null;
    }
}
