using System.Collections.Immutable;
using ClusterD.Agents;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Controller.Tests.Messages;

public sealed class ControllerCodecTests
{
    private static readonly AgentNotification Notification = new(NotifyType.Post, AgentAction.Promote)
    {
        Promote = [new NotifyInstance("drbd_mysql:1", "hadb02")],
        Active = [new NotifyInstance("drbd_mysql:0", "hadb01"), new NotifyInstance("drbd_mysql:1", "hadb02")],
        Inactive = [new NotifyInstance("drbd_mysql:2", "")],
        Promoted = [new NotifyInstance("drbd_mysql:0", "hadb01")],
        Unpromoted = [new NotifyInstance("drbd_mysql:1", "hadb02")],
        AllNodes = ["hadb01", "hadb02"],
        AvailableNodes = ["hadb01", "hadb02"],
    };

    [Fact]
    public void ActionRequest_Notify_RoundTripsItsNotification()
    {
        var request = Request(Notification);

        var decoded = Assert.IsType<ActionRequest>(ControllerCodec.Decode(ControllerCodec.Encode(request), "hadb01"));

        Assert.Equal(TransitionOp.Notify, decoded.Op);
        Assert.Equal(AgentAction.Notify, decoded.Call.Action);
        var n = decoded.Call.Notification!;
        Assert.Equal((NotifyType.Post, AgentAction.Promote), (n.Type, n.Operation));
        Assert.Equal(Notification.Promote, n.Promote);
        Assert.Equal(Notification.Active, n.Active);
        Assert.Equal(Notification.Inactive, n.Inactive);
        Assert.Equal(Notification.Promoted, n.Promoted);
        Assert.Equal(Notification.Unpromoted, n.Unpromoted);
        Assert.Empty(n.Start);
        Assert.Equal(Notification.AllNodes, n.AllNodes);
        Assert.Equal(Notification.AvailableNodes, n.AvailableNodes);
    }

    [Fact]
    public void ActionRequest_NotifyWithoutNotification_IsRefused()
    {
        var bytes = ControllerCodec.Encode(Request(null));

        var e = Assert.Throws<ControllerCodecException>(() => ControllerCodec.Decode(bytes, "hadb01"));
        Assert.Contains("notification", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionRequest_NotificationWithASpaceInANodeName_IsRefused()
    {
        var bad = Notification with { Active = [new NotifyInstance("drbd_mysql:0", "had b01")] };

        var e = Assert.Throws<ControllerCodecException>(() => ControllerCodec.Decode(ControllerCodec.Encode(Request(bad)), "hadb01"));
        Assert.Contains("call.notification.active.node", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionRequest_PostStopAfterFencing_RoundTrips()
    {
        var fenced = new AgentNotification(NotifyType.Post, AgentAction.Stop) { Stop = [new NotifyInstance("drbd_mysql:0", "hadb01")], AfterFencing = true };

        var decoded = (ActionRequest)ControllerCodec.Decode(ControllerCodec.Encode(Request(fenced)), "hadb01");

        Assert.True(decoded.Call.Notification!.AfterFencing);
        Assert.False(((ActionRequest)ControllerCodec.Decode(ControllerCodec.Encode(Request(Notification)), "hadb01")).Call.Notification!.AfterFencing);
    }

    [Fact]
    public void ActionRequest_AfterFencingOnAnythingButAPostStop_IsRefused()
    {
        var bad = Notification with { AfterFencing = true };

        var e = Assert.Throws<ControllerCodecException>(() => ControllerCodec.Decode(ControllerCodec.Encode(Request(bad)), "hadb01"));
        Assert.Contains("call.notification.after_fencing", e.Message, StringComparison.Ordinal);
    }

    private static ActionRequest Request(AgentNotification? notification) => new(
        7,
        "notify-post-promote:drbd_mysql@hadb02",
        new AgentCall("drbd_mysql", "ocf:linbit:drbd", AgentAction.Notify, ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty, TimeSpan.FromSeconds(20))
        {
            Notification = notification,
        },
        TransitionOp.Notify,
        null,
        false,
        3);
}
