using ClusterD.Controller.Peers;
using ClusterD.Membership;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Quorum;
using ClusterD.Membership.Views;

namespace ClusterD.Controller.Tests.Peers;

public sealed class SessionRulesTests
{
    private static readonly NodeList Nodes = new([Node(1, "hadb01"), Node(2, "hadb02"), Node(3, "hadb03")]);

    private static NodeConfig Node(uint id, string name) => new(new NodeId(id), name, [], 1);

    private static ViewChange Change(uint[] joined, uint[] lost, uint[] left)
    {
        var view = new MembershipView(new RingId(7, new NodeId(1)), [new ViewMember(new NodeId(1), 1)]);
        return new ViewChange(MembershipView.None, view, [.. joined.Select(i => new NodeId(i))], [.. lost.Select(i => new NodeId(i))],
            [.. left.Select(i => new NodeId(i))], new QuorumState(true, 3, 2, 2, false, false, true), new NodeId(1), TimeSpan.Zero);
    }

    [Fact]
    public void OnViewChange_LostAndLeftNodes_EachSessionIsClosedWithWhy()
    {
        var effects = SessionRules.OnViewChange(Change(joined: [], lost: [2], left: [3]), Nodes);

        Assert.Equal(
            [new CloseSession(new NodeId(2), "membership lost hadb02"), new CloseSession(new NodeId(3), "hadb03 left the cluster")],
            effects);
    }

    [Fact]
    public void OnViewChange_OnlyJoins_ClosesNothing()
    {
        Assert.Empty(SessionRules.OnViewChange(Change(joined: [2, 3], lost: [], left: []), Nodes));
    }

    [Fact]
    public void OnViewChange_NodeRestartedBetweenViews_ItsOldSessionIsClosed()
    {
        // Lost and joined in one change: the old incarnation's session goes; the new one connects afresh.
        var effects = SessionRules.OnViewChange(Change(joined: [2], lost: [2], left: []), Nodes);

        Assert.Equal([new CloseSession(new NodeId(2), "membership lost hadb02")], effects);
    }
}
