using ClusterD.Membership.Runtime;
using ClusterD.Membership.Views;
using ClusterD.Messaging.Security;
using ClusterD.TestKit;

namespace ClusterD.Membership.Tests.Runtime;

/// <summary>
/// A pause of the node itself (MembershipNode.Pause.cs) at its exact boundaries. Node 1 is under test;
/// node 2 is a real core. Datagrams arrive one millisecond after they are sent; while node 1 is
/// frozen they wait in its inbox (a socket buffer), and a crashed node 2 neither runs nor sends.
/// </summary>
public sealed class MembershipNodePauseTests
{
    private static readonly TimeSpan Token = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private readonly Inbox _to1 = new();
    private readonly Inbox _to2 = new();
    private readonly MembershipNode _node1;
    private readonly MembershipNode _node2;
    private readonly TimeSpan _formed;
    private TimeSpan _now = TimeSpan.FromSeconds(10);
    private bool _node1Frozen;
    private bool _node2Crashed;

    public MembershipNodePauseTests()
    {
        var config = TestConfigs.ForNodes(2, tokenMs: (int)Token.TotalMilliseconds);
        var keys = new AuthKeyRing(AuthKey.Generate(1), []);
        _node1 = new MembershipNode(config, new NodeId(1), 100, 0, keys, _to2);
        _node2 = new MembershipNode(config, new NodeId(2), 200, 0, keys, _to1);
        _node1.Start(_now);
        _node2.Start(_now);
        RunUntil(() => _node1.View.Members.Length == 2 && _node2.View.Ring == _node1.View.Ring);
        _formed = _now;
        _node1.TakeViewChanges();
        _node1.TakeTrustChanges();
    }

    private static NodeId[] Both => [new(1), new(2)];

    [Fact]
    public void PauseBound_DefaultInterval_IsHalfTheToken()
    {
        Assert.Equal(Token / 5, _node1.HeartbeatInterval);
        Assert.Equal(Token / 2, _node1.PauseBound);
    }

    [Fact]
    public void Tick_GapExactlyPauseBound_NoPause()
    {
        var last = LastActivityOfNode1();

        _node1.Tick(last + _node1.PauseBound);

        Assert.True(_node1.ViewTrusted);
        Assert.Null(_node1.Snapshot(_now).Settling);
        Assert.Empty(_node1.TakeTrustChanges());
    }

    [Fact]
    public void Tick_GapOneTickOverPauseBound_PauseNoticedAndViewDistrusted()
    {
        var last = LastActivityOfNode1();
        var resumed = last + _node1.PauseBound + Tick;

        _node1.Tick(resumed);

        Assert.False(_node1.ViewTrusted);
        Assert.Equal(new ViewSettling(last, resumed, Replaced: false), _node1.Snapshot(resumed).Settling);
        var change = Assert.Single(_node1.TakeTrustChanges());
        Assert.False(change.Trusted);
        Assert.Equal(resumed, change.At);
    }

    [Fact]
    public void Receive_GapOverPauseBound_PauseNoticedBeforeTheDatagramCounts()
    {
        var last = LastActivityOfNode1();
        _node1Frozen = true;
        RunFor(_node1.PauseBound + Ms); // node 2 sends on; node 1's inbox fills

        var (link, datagram) = _to1.Queue.Dequeue();
        _node1.Receive(link, datagram, _now);

        Assert.Equal(last, _node1.Settling!.PausedAt);
        Assert.Equal(_now, _node1.Settling.ResumedAt);
    }

    [Fact]
    public void Thaw_PausedLongerThanTokenPeerReplacedUs_NoOneNodeViewThenAgreedTwoNodeView()
    {
        var before = _node1.View;
        _node1Frozen = true;
        RunUntil(() => _node2.View.Members.Length == 1);
        RunFor(TimeSpan.FromMilliseconds(2500) - (_now - _formed));

        Thaw();
        RunUntil(() => _node1.ViewTrusted);

        var views = _node1.TakeViewChanges();
        var installed = Assert.Single(views);
        Assert.Equal(Both, installed.Current.Members.Select(m => m.Id));
        Assert.Empty(installed.Lost);
        Assert.True(installed.Current.Ring.Seq > _node2.TakeViewChanges().First(v => v.Current.Members.Length == 1).Current.Ring.Seq);
        Assert.True(installed.Current.Ring.Seq > before.Ring.Seq);
        var trust = _node1.TakeTrustChanges();
        Assert.Equal([false, true], trust.Select(t => t.Trusted));
        Assert.True(trust[1].Settling.Replaced, "the first heartbeat after the thaw showed node 2's newer view without node 1");
        Assert.Equal(installed.At, trust[1].At);
        Assert.True(trust[1].At - trust[0].At < TimeSpan.FromMilliseconds(10), $"settled {trust[1].At - trust[0].At} after the thaw");
    }

    [Fact]
    public void ViewChanges_PeerLostAndBack_QuorumAndDcChangedExactlyWhenTheyDifferFromThePreviousView()
    {
        _node1Frozen = true;
        RunUntil(() => _node2.View.Members.Length == 1);
        Thaw();
        RunUntil(() => _node1.ViewTrusted && _node2.View.Members.Length == 2);

        var changes = _node2.TakeViewChanges();

        Assert.True(changes.Count >= 3, $"{changes.Count} views: formed, node 1 lost, node 1 back");
        Assert.True(changes[0].QuorumChanged && changes[0].DcChanged, "the first view changes both");
        for (var i = 1; i < changes.Count; i++)
        {
            Assert.Equal(changes[i - 1].Quorum.Quorate != changes[i].Quorum.Quorate, changes[i].QuorumChanged);
            Assert.Equal(changes[i - 1].Dc != changes[i].Dc, changes[i].DcChanged);
        }

        Assert.Contains(changes, c => c.DcChanged && c != changes[0]);
    }

    [Fact]
    public void Thaw_PausedUnderToken_TrustedAgainWithoutAnyViewChange()
    {
        var ring = _node1.View.Ring;
        _node1Frozen = true;
        RunFor(TimeSpan.FromMilliseconds(600));

        Thaw();
        var thawed = _now;
        RunUntil(() => _node1.ViewTrusted);
        Assert.True(_now - thawed <= 2 * Ms, $"trusted again {_now - thawed} after the thaw: node 2 answers at once");
        RunFor(Token * 3);

        Assert.Empty(_node1.TakeViewChanges());
        Assert.DoesNotContain(_node2.TakeViewChanges(), v => v.At > _formed);
        Assert.Equal(ring, _node1.View.Ring);
        Assert.Equal([false, true], _node1.TakeTrustChanges().Select(t => t.Trusted));
    }

    [Fact]
    public void Resume_PeerCrashedDuringPause_NotLostUntilOneTickAfterTokenPastResume()
    {
        _node2Crashed = true;
        _node1Frozen = true;
        RunFor(TimeSpan.FromMilliseconds(2500));
        var resumed = _now;
        _node1Frozen = false;
        _node1.Tick(resumed);

        RunFor(Token); // node 1 keeps running: no second pause
        Assert.Equal(Both, _node1.View.Members.Select(m => m.Id));
        Assert.Equal(NodeState.Member, _node1.Snapshot(_now).Nodes[1].State);
        Assert.False(_node1.ViewTrusted);
        Assert.Equal(resumed + Token + Tick, _node1.NextWakeup(_now));

        _node1.Tick(resumed + Token + Tick);

        var lost = Assert.Single(_node1.TakeViewChanges());
        Assert.Equal([new NodeId(2)], lost.Lost);
        Assert.Equal([new NodeId(1)], _node1.View.Members.Select(m => m.Id));
        Assert.True(_node1.ViewTrusted, "a view agreed after a full token from the resume is trusted");
        Assert.Equal(new NodeId(1), _node1.Dc);
    }

    [Fact]
    public void Resume_PeerCrashesJustAfterResume_LostOneTokenAfterItsLastHeartbeat()
    {
        _node1Frozen = true;
        RunFor(TimeSpan.FromMilliseconds(700));
        Thaw();
        RunUntil(() => _node1.ViewTrusted);
        var lastHeard = _now - _node1.Snapshot(_now).Nodes[1].Links[0].LastSeenAgo!.Value;
        _node2Crashed = true;

        RunUntil(() => _node1.View.Members.Length == 1);

        Assert.Equal(lastHeard + Token + Ms, _now); // lost one tick after the token, found at the next 1 ms step
        Assert.True(_node1.ViewTrusted);
    }

    /// <summary>Lets node 1 run again for one step: it takes in its inbox and notices the pause.</summary>
    private void Thaw()
    {
        _node1Frozen = false;
        Step();
        Assert.False(_node1.ViewTrusted, "the pause was not noticed");
    }

    private TimeSpan LastActivityOfNode1()
    {
        RunFor(Ms);
        _node1.Tick(_now); // node 1's last activity is now
        return _now;
    }

    private void RunFor(TimeSpan duration)
    {
        var end = _now + duration;
        while (_now < end)
        {
            Step();
        }
    }

    private void RunUntil(Func<bool> condition)
    {
        var limit = _now + (Token * 10);
        while (!condition())
        {
            Assert.True(_now < limit, "condition not met within 10 tokens");
            Step();
        }
    }

    private void Step()
    {
        _now += Ms;
        if (!_node2Crashed)
        {
            Deliver(_to2, _node2);
            if (_node2.NextWakeup(_now) <= _now)
            {
                _node2.Tick(_now);
            }
        }
        else
        {
            _to1.Queue.Clear();
            _to2.Queue.Clear();
        }

        if (!_node1Frozen)
        {
            Deliver(_to1, _node1);
            if (_node1.NextWakeup(_now) <= _now)
            {
                _node1.Tick(_now);
            }
        }
    }

    private void Deliver(Inbox inbox, MembershipNode node)
    {
        while (inbox.Queue.TryDequeue(out var datagram))
        {
            node.Receive(datagram.Link, datagram.Bytes, _now);
        }
    }

    /// <summary>Datagrams sent to one node, delivered at its next step.</summary>
    private sealed class Inbox : IDatagramSink
    {
        public Queue<(int Link, byte[] Bytes)> Queue { get; } = new();

        public void Send(int nodeIndex, int link, ReadOnlySpan<byte> datagram) => Queue.Enqueue((link, datagram.ToArray()));
    }
}
