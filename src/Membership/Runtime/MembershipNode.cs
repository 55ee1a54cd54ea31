using System.Collections.Immutable;
using System.Text;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Detection;
using ClusterD.Membership.Heartbeats;
using ClusterD.Membership.Quorum;
using ClusterD.Membership.Views;
using ClusterD.Messaging.Security;

namespace ClusterD.Membership.Runtime;

/// <summary>
/// The membership core of one node: heartbeats in, heartbeats out, views installed. Pure and
/// deterministic: time is an argument, datagrams go to an <see cref="IDatagramSink"/>, and
/// nothing here blocks, logs or reads a clock, so whole clusters of these run in one test under
/// one fake clock. Not thread-safe: one loop owns it. The view agreement is described in
/// docs/membership.md.
/// </summary>
public sealed partial class MembershipNode
{
    /// <summary>How far ahead of this node's highest ring sequence a peer's may be (2^32: decades of view changes).</summary>
    private const ulong MaxSeqLead = 1UL << 32;

    private readonly NodeList _nodes;
    private readonly int _me;
    private readonly TotemOptions _totem;
    private readonly QuorumOptions _quorumOptions;
    private readonly byte[] _clusterName;
    private readonly IDatagramSink _sink;
    private readonly TokenFailureDetector _detector;
    private readonly PeerState[] _peers;
    private readonly ConnectivityRow[] _rows;
    private readonly uint[] _adjacency;
    private readonly ulong[] _dropped = new ulong[Enum.GetValues<DatagramVerdict>().Length];
    private readonly HeartbeatFrame _in = new();
    private readonly HeartbeatFrame _out = new();
    private readonly byte[] _sendBuffer = new byte[HeartbeatCodec.MaxDatagram];
    private readonly List<ViewChange> _changes = [];

    private AuthKeyRing _keys;
    private ulong _accepted;
    private ulong _rowVersion;
    private bool _matrixDirty = true;
    private uint _target;
    private ulong _proposalSeq;
    private ulong _highestProposedSeq;
    private uint _highestProposedMembers;
    private uint _proposalMembers;
    private bool _needsNewView;
    private bool _sendNow;
    private bool _allNodesSeenTogether;
    private TimeSpan _nextHeartbeat;
    private MembershipView _installed = MembershipView.None;
    private uint _installedMembers;
    private ulong _installedSeq;
    private QuorumState _quorum;
    private NodeId? _dc;
    private bool _installedAny;

    /// <param name="lastRingSeq">
    /// The persisted <see cref="HighestProposedSeq"/> of this node's previous run, so that ring ids keep
    /// increasing across restarts and a number proposed before a crash is never reused for another view.
    /// </param>
    public MembershipNode(ClusterConfiguration config, NodeId self, ulong incarnation, ulong lastRingSeq, AuthKeyRing keys, IDatagramSink sink)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.Nodes.TryGetIndex(self, out _me))
        {
            throw new ArgumentException($"node {self} is not in the nodelist", nameof(self));
        }

        if (incarnation == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(incarnation), "an incarnation must be at least 1");
        }

        _nodes = config.Nodes;
        _totem = config.Totem;
        _quorumOptions = config.Quorum;
        _clusterName = Encoding.UTF8.GetBytes(config.Totem.ClusterName);
        _keys = keys;
        _sink = sink;
        Self = self;
        Incarnation = incarnation;
        _installedSeq = lastRingSeq;
        _highestProposedSeq = lastRingSeq;
        _detector = new TokenFailureDetector(_nodes.Count, _nodes.LinkCount, config.Totem.Token);
        _peers = Enumerable.Range(0, _nodes.Count).Select(_ => new PeerState(_nodes.LinkCount)).ToArray();
        _rows = new ConnectivityRow[_nodes.Count];
        _adjacency = new uint[_nodes.Count];
        _rows[_me] = new ConnectivityRow((byte)_me, incarnation, ++_rowVersion, 1u << _me);
        _quorum = QuorumState.Initial(_quorumOptions);
    }

    public NodeId Self { get; }

    /// <summary>The highest ring sequence this node proposed; the shell persists it whenever it rises.</summary>
    public ulong HighestProposedSeq => _highestProposedSeq;

    public ulong Incarnation { get; }

    public MembershipView View => _installed;

    public QuorumState Quorum => _quorum;

    public NodeId? Dc => _dc;

    public TimeSpan Token => _totem.Token;

    public TimeSpan HeartbeatInterval => _totem.HeartbeatInterval;

    /// <summary>
    /// The next instant at which <see cref="Tick"/> has work: a heartbeat to send, a node to declare lost, or
    /// the end of the wait for the peers after a pause. Counted from the last input, so work that fell due
    /// since then is at or before <paramref name="now"/>. Never later than the next heartbeat, so a loop that
    /// follows it calls the core at least once per heartbeat interval (see <see cref="PauseBound"/>).
    /// </summary>
    public TimeSpan NextWakeup(TimeSpan now)
    {
        var since = _lastActivity ?? now;
        var next = _nextHeartbeat;
        if (_detector.NextExpiry(since) is { } expiry && expiry < next)
        {
            next = expiry;
        }

        return SettlingDeadline is { } deadline && deadline > since && deadline < next ? deadline : next;
    }

    /// <summary>Replaces the key ring (a reload after a key rotation step).</summary>
    public void ReplaceKeys(AuthKeyRing keys) => _keys = keys;

    /// <summary>Installs the single-node view and sends the first heartbeats.</summary>
    public void Start(TimeSpan now)
    {
        _lastActivity = now;
        Recompute(now);
        SendHeartbeats(now);
    }

    /// <summary>Expires silent nodes, moves the view agreement on and sends heartbeats when due.</summary>
    public void Tick(TimeSpan now)
    {
        NoticePause(now);
        Recompute(now);
        if (_sendNow || now >= _nextHeartbeat)
        {
            SendHeartbeats(now);
        }

        Settle(now);
    }

    /// <summary>Handles one received datagram; anything but <see cref="DatagramVerdict.Accepted"/> was dropped and counted.</summary>
    public DatagramVerdict Receive(int link, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        NoticePause(now);
        var verdict = Accept(link, datagram, now);
        if (verdict == DatagramVerdict.Accepted)
        {
            _accepted++;
            Recompute(now);
            if (_sendNow)
            {
                SendHeartbeats(now);
            }

            Settle(now);
        }
        else
        {
            _dropped[(int)verdict]++;
        }

        return verdict;
    }

    /// <summary>Announces a clean shutdown to every peer on every link (three copies against loss).</summary>
    public void Leave(TimeSpan now)
    {
        for (var copy = 0; copy < 3; copy++)
        {
            SendToAll(HeartbeatKind.Leave, now);
        }
    }

    /// <summary>Returns and forgets the views installed since the last call, oldest first.</summary>
    public IReadOnlyList<ViewChange> TakeViewChanges()
    {
        if (_changes.Count == 0)
        {
            return [];
        }

        var taken = _changes.ToArray();
        _changes.Clear();
        return taken;
    }

    private DatagramVerdict Accept(int link, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        var verdict = HeartbeatCodec.TryRead(datagram, _clusterName, _keys, _in);
        if (verdict != DatagramVerdict.Accepted)
        {
            return verdict;
        }

        if (_in.NodelistDigest != _nodes.Digest)
        {
            return DatagramVerdict.NodelistMismatch;
        }

        if (!_nodes.TryGetIndex(_in.Sender, out var from))
        {
            return DatagramVerdict.UnknownNode;
        }

        if (from == _me)
        {
            return DatagramVerdict.FromSelf;
        }

        if (_in.Link != link || link >= _nodes.LinkCount || _in.Incarnation == 0)
        {
            return DatagramVerdict.Malformed;
        }

        for (var i = 0; i < _in.RowCount; i++)
        {
            if (_in.Rows[i].Index >= _nodes.Count)
            {
                return DatagramVerdict.Malformed;
            }
        }

        // Ring sequences move by a few per view change; one far ahead of ours is forged or corrupt and,
        // adopted, would leave no room to count up (ulong wrap-around).
        var seqLimit = _highestProposedSeq + MaxSeqLead;
        if (_in.ProposalSeq > seqLimit || _in.InstalledSeq > seqLimit)
        {
            return DatagramVerdict.Malformed;
        }

        var peer = _peers[from];
        if (_in.Incarnation < peer.Incarnation || _in.Incarnation == peer.LeftIncarnation)
        {
            return DatagramVerdict.StaleIncarnation;
        }

        if (_in.Incarnation > peer.Incarnation)
        {
            // A new boot of this node: whatever its old instance was doing is gone.
            if (peer.Incarnation != 0 && (_installedMembers & (1u << from)) != 0)
            {
                _needsNewView = true;
            }

            peer.Reset(_in.Incarnation);
            _rows[from] = default;
            _matrixDirty = true;
        }

        var linkState = peer.Links[link];
        switch (linkState.Accept(_in.Seq, now))
        {
            case ReplayVerdict.Replayed:
                return DatagramVerdict.Replayed;
            case ReplayVerdict.TooOld:
                return DatagramVerdict.TooOld;
        }

        if (_in.Kind == HeartbeatKind.Leave)
        {
            peer.LeftIncarnation = _in.Incarnation; // not alive from now on; its last-seen time stays for status
            return DatagramVerdict.Accepted;
        }

        // A peer silent for longer than a pause bound may have been paused itself and now waits for our
        // answer before it trusts its view again (MembershipNode.Pause.cs): answer at once, not at our next interval.
        if (_detector.LastSeen(from) is { } previous && now - previous > PauseBound)
        {
            _sendNow = true;
        }

        _detector.Observe(from, link, now);
        HeardWhileSettling(from, linkState);
        linkState.OnEcho(_in.EchoSeq, TimeSpan.FromMicroseconds(_in.EchoDelayMicros), now);
        peer.InstalledSeq = _in.InstalledSeq;
        peer.InstalledMembers = _in.InstalledMembers;
        peer.ProposalSeq = _in.ProposalSeq;
        peer.ProposalMembers = _in.ProposalMembers;
        for (var i = 0; i < _in.RowCount; i++)
        {
            var row = _in.Rows[i];
            if (row.Index != _me && row.IsNewerThan(_rows[row.Index]))
            {
                _rows[row.Index] = row;
                _matrixDirty = true;
            }
        }

        return DatagramVerdict.Accepted;
    }
}
