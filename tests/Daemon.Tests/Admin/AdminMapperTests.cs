using System.Collections.Immutable;
using System.Net;
using ClusterD.Daemon.Admin;
using ClusterD.Membership;
using ClusterD.Membership.Heartbeats;
using ClusterD.Membership.Quorum;
using ClusterD.Membership.Runtime;
using ClusterD.Membership.Views;
using ClusterD.TestKit;

namespace ClusterD.Daemon.Tests.Admin;

public sealed class AdminMapperTests
{
    private static readonly ClusterD.Membership.Configuration.ClusterConfiguration Config = TestConfigs.ForNodes(4, twoNode: false);

    [Fact]
    public void ToReply_NodesInEveryState_MapsOnlineUncleanStateAndLinks()
    {
        var view = new MembershipView(new RingId(0x2c, new NodeId(1)), [new ViewMember(new NodeId(1), 10), new ViewMember(new NodeId(2), 20)]);
        var snapshot = new MembershipSnapshot("hacluster", new NodeId(1), 10, view,
            new QuorumState(true, 4, 2, 3, false, false, true), new NodeId(1),
            [
                Node(1, NodeState.Member, isLocal: true),
                Node(2, NodeState.Member, links: [new LinkSnapshot(0, IPEndPoint.Parse("198.18.0.2:5405"), true, TimeSpan.FromMilliseconds(120), TimeSpan.FromMicroseconds(250), 99, 1)]),
                Node(3, NodeState.Lost, links: [new LinkSnapshot(0, IPEndPoint.Parse("198.18.0.3:5405"), false, TimeSpan.FromSeconds(3), null, 5, 0)]),
                Node(4, NodeState.Unknown, links: [new LinkSnapshot(0, IPEndPoint.Parse("198.18.0.4:5405"), false, null, null, 0, 0)]),
            ],
            1234, ImmutableDictionary<DatagramVerdict, ulong>.Empty.Add(DatagramVerdict.BadMac, 7).Add(DatagramVerdict.StaleIncarnation, 2));

        var reply = AdminMapper.ToReply(snapshot, Config.Nodes, [new ClusterD.Messaging.Peers.PeerLinkStatus(2, true, "198.18.0.2:5406", 20, 5, 6, 500, 600, 1, 0, 0, TimeSpan.FromMilliseconds(0.5), new Dictionary<string, long> { ["bad_tag"] = 1 }, null)]);

        Assert.Equal(("hacluster", true, "node1", "1.2c", 0x2cUL, "node1"), (reply.Cluster, reply.Quorate, reply.Dc, reply.RingId, reply.RingSeq, reply.LocalNode));
        Assert.Equal(["member", "member", "lost", "unknown"], reply.Nodes.Select(n => n.State));
        Assert.Equal([true, true, false, false], reply.Nodes.Select(n => n.Online));
        Assert.Equal([false, false, true, false], reply.Nodes.Select(n => n.Unclean));
        Assert.True(reply.Nodes[0].Local);
        var link = reply.Nodes[1].Links.Single();
        Assert.Equal(("198.18.0.2:5405", true, 120L, 0.25, 99UL, 1UL), (link.Address, link.Up, link.LastSeenMsAgo, link.RttMs, link.Received, link.Lost));
        Assert.Equal(-1, reply.Nodes[3].Links[0].LastSeenMsAgo);
        var messaging = reply.Nodes[1].Messaging;
        Assert.Equal((true, "198.18.0.2:5406", 5L, 6L, 1L, 0.5, 1L), (messaging.Connected, messaging.RemoteAddress, messaging.FramesIn, messaging.FramesOut, messaging.Reconnects, messaging.RttMs, messaging.Rejects["bad_tag"]));
        Assert.Null(reply.Nodes[0].Messaging);
        Assert.Equal((1234UL, 9UL), (reply.Datagrams.Accepted, reply.Datagrams.Dropped));
        Assert.Equal(7UL, reply.Datagrams.DroppedByReason["bad_mac"]);
        Assert.Equal(2UL, reply.Datagrams.DroppedByReason["stale_incarnation"]);
        Assert.Equal((4u, 2u, 3u), (reply.Quorum.ExpectedVotes, reply.Quorum.TotalVotes, reply.Quorum.Quorum));
    }

    [Fact]
    public void ToEvents_LossWithQuorumAndDcChange_YieldsThreeEventsNamingNodes()
    {
        var previous = new MembershipView(new RingId(4, new NodeId(1)), [new ViewMember(new NodeId(1), 1), new ViewMember(new NodeId(2), 1)]);
        var current = new MembershipView(new RingId(5, new NodeId(2)), [new ViewMember(new NodeId(2), 1)]);
        var change = new ViewChange(previous, current, [], [new NodeId(1)], [], new QuorumState(false, 4, 1, 3, false, false, true), null, TimeSpan.Zero)
        {
            QuorumChanged = true,
            DcChanged = true,
        };
        var at = new DateTimeOffset(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);

        var events = AdminMapper.ToEvents(change, Config.Nodes, at).ToArray();

        Assert.Equal([ClusterD.Admin.V1.EventKind.Membership, ClusterD.Admin.V1.EventKind.Quorum, ClusterD.Admin.V1.EventKind.Dc], events.Select(e => e.Kind));
        Assert.Equal(["node1"], events[0].Lost);
        Assert.Equal(["node2"], events[0].Members);
        Assert.Equal("2.5", events[0].RingId);
        Assert.Contains("node1 lost", events[0].Message, StringComparison.Ordinal);
        Assert.Contains("quorum lost", events[1].Message, StringComparison.Ordinal);
        Assert.Equal("", events[2].Dc);
        Assert.All(events, e => Assert.Equal(at, e.Time.ToDateTimeOffset()));
    }

    [Fact]
    public void ToEvents_NeitherQuorumNorDcChanged_OnlyTheMembershipEvent()
    {
        var view = new MembershipView(new RingId(6, new NodeId(1)), [new ViewMember(new NodeId(1), 1), new ViewMember(new NodeId(2), 1)]);
        var change = new ViewChange(MembershipView.None, view, [new NodeId(2)], [], [], new QuorumState(true, 4, 2, 3, false, false, true), new NodeId(1), TimeSpan.Zero);

        var events = AdminMapper.ToEvents(change, Config.Nodes, DateTimeOffset.UnixEpoch).ToArray();

        Assert.Equal(ClusterD.Admin.V1.EventKind.Membership, Assert.Single(events).Kind);
    }

    private static NodeSnapshot Node(uint id, NodeState state, bool isLocal = false, ImmutableArray<LinkSnapshot> links = default) =>
        new(new NodeId(id), $"node{id}", isLocal, state, id * 10, links.IsDefault ? [] : links);
}
