using ClusterD.Membership.Election;
using ClusterD.Membership.Views;

namespace ClusterD.Membership.Tests.Election;

public sealed class DcElectionTests
{
    private static MembershipView View(params uint[] ids) =>
        new(new RingId(7, new NodeId(ids.Length == 0 ? 0 : ids.Min())),
            [.. ids.Order().Select(id => new ViewMember(new NodeId(id), 100 + id))]);

    [Fact]
    public void Choose_QuorateView_LowestNodeId()
    {
        Assert.Equal(new NodeId(2), DcElection.Choose(View(9, 2, 5), quorate: true));
    }

    [Fact]
    public void Choose_SingleMemberQuorate_ThatMember()
    {
        Assert.Equal(new NodeId(4), DcElection.Choose(View(4), quorate: true));
    }

    [Fact]
    public void Choose_WithoutQuorum_Nobody()
    {
        Assert.Null(DcElection.Choose(View(1, 2, 3), quorate: false));
    }

    [Fact]
    public void Choose_EmptyView_Nobody()
    {
        Assert.Null(DcElection.Choose(View(), quorate: true));
        Assert.Null(DcElection.Choose(MembershipView.None, quorate: true));
    }

    [Fact]
    public void Choose_LowestNodeLeaves_NextLowestTakesOver()
    {
        var before = DcElection.Choose(View(1, 2, 3), quorate: true);
        var after = DcElection.Choose(View(2, 3), quorate: true);

        Assert.Equal(new NodeId(1), before);
        Assert.Equal(new NodeId(2), after);
    }

    [Fact]
    public void Choose_NullView_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => DcElection.Choose(null!, true));
    }
}
