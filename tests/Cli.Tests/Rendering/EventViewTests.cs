using ClusterD.Admin.V1;
using ClusterD.Cli.Rendering;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Rendering;

public sealed class EventViewTests
{
    [Fact]
    public void FromEvent_Membership_MapsAllFields()
    {
        var view = EventView.FromEvent(SampleReplies.MembershipEvent());

        Assert.Equal("2025-01-31T12:00:00.250Z", view.Time);
        Assert.Equal("membership", view.Kind);
        Assert.Equal("1.20", view.RingId);
        Assert.Equal(["node1", "node2"], view.Members);
        Assert.Equal(["node2"], view.Joined);
        Assert.Empty(view.Lost);
        Assert.True(view.Quorate);
        Assert.Equal("node1", view.Dc);
    }

    [Theory]
    [InlineData(EventKind.Unspecified, "unspecified")]
    [InlineData(EventKind.Membership, "membership")]
    [InlineData(EventKind.Quorum, "quorum")]
    [InlineData(EventKind.Dc, "dc")]
    [InlineData(EventKind.Gap, "gap")]
    [InlineData(EventKind.ActionRequested, "action-requested")]
    [InlineData(EventKind.FailoverCompleted, "failover-completed")]
    [InlineData(EventKind.Configuration, "configuration")]
    [InlineData((EventKind)42, "42")]
    public void KindName_EveryKind_IsLowercaseName(EventKind kind, string expected)
    {
        Assert.Equal(expected, EventView.KindName(kind));
    }

    [Fact]
    public void ToTextLine_LostNodeWithoutDc_UsesDashes()
    {
        var e = new ClusterEvent { Kind = EventKind.Quorum, Message = "quorum lost", RingId = "2.21", Members = { "node2" }, Lost = { "node1" } };

        Assert.Equal("- quorum quorum lost | ring=2.21 members=node2 joined=- lost=node1 left=- quorate=no dc=-",
            EventView.FromEvent(e).ToTextLine());
    }

    [Fact]
    public void ToTextLine_FailoverCompleted_TimelineWithDurationResultAndPhases()
    {
        Assert.Equal(
            "2026-11-27T06:00:03.500Z failover-completed failover of ms_drbd_mysql to node2 completed (3.25s) | node=node2 resource=ms_drbd_mysql "
            + "result=ok phases=detection:1s,promote:850ms",
            EventView.FromEvent(SampleReplies.FailoverEvent()).ToTextLine());
    }

    [Fact]
    public void ToTextLine_ActionFailed_NamesWhatWhereAndTransition()
    {
        var e = new ClusterEvent { Kind = EventKind.ActionFinished, Message = "start mysqld on node2: not installed", Node = "node2", Resource = "mysqld", Action = "start", Transition = 12, Succeeded = false, DurationMs = 40 };

        Assert.Equal("- action-finished start mysqld on node2: not installed (40ms) | node=node2 resource=mysqld action=start transition=12 result=failed",
            EventView.FromEvent(e).ToTextLine());
    }

    [Fact]
    public void FromEvent_WarningWithoutResult_SucceededAndDurationNull()
    {
        var view = EventView.FromEvent(new ClusterEvent { Kind = EventKind.Warning, Message = "split brain is possible" });

        Assert.Equal(("warning", null, null), (view.Kind, view.Succeeded, view.DurationMs));
        Assert.Equal("- warning split brain is possible", view.ToTextLine());
    }
}
