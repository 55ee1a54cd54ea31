using System.Text;
using ClusterD.Membership.Heartbeats;
using ClusterD.Membership.Runtime;
using ClusterD.Messaging.Security;
using ClusterD.TestKit;

namespace ClusterD.Membership.Tests.Runtime;

/// <summary>
/// One membership core fed datagrams by hand: what it accepts, what it drops and how it counts.
/// Node 1 is the core under test; datagrams come from a real second core (node 2) or are crafted.
/// </summary>
public sealed class MembershipNodeTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(10);
    private readonly ClusterD.Membership.Configuration.ClusterConfiguration _config = TestConfigs.ForNodes(2, links: 2);
    private readonly AuthKeyRing _keys = new(AuthKey.Generate(1), []);
    private readonly Capture _toNode1 = new();
    private readonly MembershipNode _node1;
    private readonly MembershipNode _node2;

    public MembershipNodeTests()
    {
        _node1 = new MembershipNode(_config, new NodeId(1), 100, 0, _keys, new Capture());
        _node2 = new MembershipNode(_config, new NodeId(2), 200, 0, _keys, _toNode1);
        _node1.Start(T0);
        _node2.Start(T0);
    }

    [Fact]
    public void Receive_GenuineHeartbeat_AcceptedOnItsLink()
    {
        var (link, datagram) = _toNode1.Sent[0];

        Assert.Equal(DatagramVerdict.Accepted, _node1.Receive(link, datagram, T0));
        Assert.Equal(1UL, _node1.Snapshot(T0).DatagramsAccepted);
    }

    [Fact]
    public void Receive_SameDatagramTwice_SecondIsReplayedAndCounted()
    {
        var (link, datagram) = _toNode1.Sent[0];
        _node1.Receive(link, datagram, T0);

        Assert.Equal(DatagramVerdict.Replayed, _node1.Receive(link, datagram, T0));
        Assert.Equal(1UL, _node1.Snapshot(T0).Dropped[DatagramVerdict.Replayed]);
    }

    [Fact]
    public void Receive_OnTheOtherLink_MalformedBecauseLinkIsSigned()
    {
        var (link, datagram) = _toNode1.Sent[0];

        Assert.Equal(DatagramVerdict.Malformed, _node1.Receive(1 - link, datagram, T0));
    }

    [Fact]
    public void Receive_SignedWithAnotherKeyOfSameId_BadMac()
    {
        var stranger = new MembershipNode(_config, new NodeId(2), 200, 0, new AuthKeyRing(AuthKey.Generate(1), []), _toNode1);
        _toNode1.Sent.Clear();
        stranger.Start(T0);

        Assert.Equal(DatagramVerdict.BadMac, _node1.Receive(_toNode1.Sent[0].Link, _toNode1.Sent[0].Datagram, T0));
    }

    [Fact]
    public void Receive_KeyIdNotHeld_UnknownKey()
    {
        var stranger = new MembershipNode(_config, new NodeId(2), 200, 0, new AuthKeyRing(AuthKey.Generate(9), []), _toNode1);
        _toNode1.Sent.Clear();
        stranger.Start(T0);

        Assert.Equal(DatagramVerdict.UnknownKey, _node1.Receive(_toNode1.Sent[0].Link, _toNode1.Sent[0].Datagram, T0));
    }

    [Fact]
    public void ReplaceKeys_RotationRing_AcceptsOldAndNewKeyIds()
    {
        var newKey = AuthKey.Generate(2);
        _node1.ReplaceKeys(new AuthKeyRing(newKey, [_keys.Sending]));
        var rotated = new MembershipNode(_config, new NodeId(2), 300, 0, new AuthKeyRing(newKey, []), _toNode1);
        var old = _toNode1.Sent[0];
        _toNode1.Sent.Clear();
        rotated.Start(T0);

        Assert.Equal(DatagramVerdict.Accepted, _node1.Receive(old.Link, old.Datagram, T0));
        Assert.Equal(DatagramVerdict.Accepted, _node1.Receive(_toNode1.Sent[0].Link, _toNode1.Sent[0].Datagram, T0));
    }

    [Theory]
    [InlineData(3u, DatagramVerdict.UnknownNode)]
    [InlineData(1u, DatagramVerdict.FromSelf)]
    public void Receive_CraftedSender_DroppedByReason(uint sender, DatagramVerdict expected)
    {
        var datagram = Craft(sender, incarnation: 5, seq: 1, _config.Nodes.Digest);

        Assert.Equal(expected, _node1.Receive(0, datagram, T0));
    }

    [Fact]
    public void Receive_OtherNodelist_NodelistMismatch()
    {
        Assert.Equal(DatagramVerdict.NodelistMismatch, _node1.Receive(0, Craft(2, 5, 1, _config.Nodes.Digest ^ 1), T0));
    }

    [Fact]
    public void Receive_OlderIncarnationAfterNewer_StaleIncarnation()
    {
        _node1.Receive(0, Craft(2, incarnation: 7, seq: 1, _config.Nodes.Digest), T0);

        Assert.Equal(DatagramVerdict.StaleIncarnation, _node1.Receive(0, Craft(2, incarnation: 6, seq: 2, _config.Nodes.Digest), T0));
    }

    [Fact]
    public void Receive_SequenceFarBehind_TooOld()
    {
        _node1.Receive(0, Craft(2, 5, seq: 1000, _config.Nodes.Digest), T0);

        Assert.Equal(DatagramVerdict.TooOld, _node1.Receive(0, Craft(2, 5, seq: 900, _config.Nodes.Digest), T0));
    }

    [Fact]
    public void Receive_Garbage_NeverThrowsAndCountsEveryDatagram()
    {
        var random = new Random(1234);
        var buffer = new byte[2000];
        for (var i = 0; i < 10_000; i++)
        {
            var length = random.Next(0, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            buffer[0] = (byte)'C';
            buffer[1] = (byte)'D';
            Assert.NotEqual(DatagramVerdict.Accepted, _node1.Receive(random.Next(2), buffer.AsSpan(0, length), T0));
        }

        Assert.Equal(10_000UL, _node1.Snapshot(T0).Dropped.Values.Aggregate(0UL, (a, b) => a + b));
        Assert.Equal(0UL, _node1.Snapshot(T0).DatagramsAccepted);
    }

    [Fact]
    public void Echo_ReplyAfterHoldingTheHeartbeat_RttExcludesPeerHoldTime()
    {
        var toNode2 = new Capture();
        var node1 = new MembershipNode(_config, new NodeId(1), 100, 0, _keys, toNode2);
        node1.Start(T0);
        var link = toNode2.Sent[0].Link;
        var replies = new Capture();
        var node2 = new MembershipNode(_config, new NodeId(2), 200, 0, _keys, replies);
        node2.Start(T0 - TimeSpan.FromMilliseconds(50));
        replies.Sent.Clear();

        // Heard 10 ms after node1 sent it; node2's next heartbeat (due at T0 + 150 ms) echoes it after
        // holding it 140 ms and arrives 10 ms later: 160 ms since sending, minus 140 ms held, is 20 ms.
        node2.Receive(link, toNode2.Sent[0].Datagram, T0 + Ms(10));
        node2.Tick(T0 + Ms(150));
        node1.Receive(link, replies.Sent.Last(r => r.Link == link).Datagram, T0 + Ms(160));

        Assert.Equal(Ms(20), RttOf(node1, link, T0 + Ms(160)));
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static TimeSpan? RttOf(MembershipNode node, int link, TimeSpan now) => node.Snapshot(now).Nodes[1].Links[link].Rtt;

    private byte[] Craft(uint sender, ulong incarnation, ulong seq, ulong digest)
    {
        var frame = new HeartbeatFrame { Sender = new NodeId(sender), Incarnation = incarnation, Seq = seq, NodelistDigest = digest };
        var buffer = new byte[HeartbeatCodec.MaxDatagram];
        return buffer[..HeartbeatCodec.Write(buffer, frame, Encoding.UTF8.GetBytes("hacluster"), _keys.Sending)];
    }

    private sealed class Capture : IDatagramSink
    {
        public List<(int Link, byte[] Datagram)> Sent { get; } = [];

        public void Send(int nodeIndex, int link, ReadOnlySpan<byte> datagram) => Sent.Add((link, datagram.ToArray()));
    }
}
