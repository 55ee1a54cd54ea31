using System.Collections.Immutable;
using ClusterD.Membership.Heartbeats;

namespace ClusterD.Membership.Runtime;

public sealed partial class MembershipNode
{
    private void SendHeartbeats(TimeSpan now)
    {
        SendToAll(HeartbeatKind.Heartbeat, now);
        _sendNow = false;
        _nextHeartbeat = now + _totem.HeartbeatInterval;
    }

    private void SendToAll(HeartbeatKind kind, TimeSpan now)
    {
        var frame = _out;
        frame.Kind = kind;
        frame.Sender = Self;
        frame.Incarnation = Incarnation;
        frame.NodelistDigest = _nodes.Digest;
        frame.InstalledSeq = _installedSeq;
        frame.InstalledMembers = _installedMembers;
        frame.ProposalSeq = _proposalSeq;
        frame.ProposalMembers = _proposalMembers;
        var rows = 0;
        if (kind == HeartbeatKind.Heartbeat)
        {
            foreach (var row in _rows)
            {
                if (row.Incarnation != 0)
                {
                    frame.Rows[rows++] = row;
                }
            }
        }

        frame.RowCount = rows;
        var key = _keys.Sending;
        var mine = _nodes[_me].Links;
        for (var peer = 0; peer < _nodes.Count; peer++)
        {
            if (peer == _me)
            {
                continue;
            }

            var theirs = _nodes[peer].Links;
            var state = _peers[peer];
            for (var link = 0; link < theirs.Count && link < mine.Count; link++)
            {
                if (theirs[link] is null || mine[link] is null)
                {
                    continue;
                }

                var linkState = state.Links[link];
                frame.Link = (byte)link;
                frame.Seq = linkState.TakeSendSeq(now);
                frame.EchoSeq = linkState.LastReceivedSeq;
                frame.EchoDelayMicros = linkState.LastReceivedSeq == 0
                    ? 0
                    : (uint)Math.Clamp((now - linkState.LastReceivedAt).TotalMicroseconds, 0, uint.MaxValue);
                var length = HeartbeatCodec.Write(_sendBuffer, frame, _clusterName, key);
                _sink.Send(peer, link, _sendBuffer.AsSpan(0, length));
            }
        }
    }

    /// <summary>An immutable picture of this node's membership for status (allocates; not for the hot path).</summary>
    public MembershipSnapshot Snapshot(TimeSpan now)
    {
        var nodes = ImmutableArray.CreateBuilder<NodeSnapshot>(_nodes.Count);
        for (var i = 0; i < _nodes.Count; i++)
        {
            var config = _nodes[i];
            var peer = _peers[i];
            var isLocal = i == _me;
            var state = (_installedMembers & (1u << i)) != 0 ? NodeState.Member
                : isLocal ? NodeState.Member
                : peer.LeftIncarnation != 0 && peer.LeftIncarnation == peer.Incarnation ? NodeState.Left
                : peer.Incarnation != 0 ? NodeState.Lost
                : NodeState.Unknown;
            var links = ImmutableArray.CreateBuilder<LinkSnapshot>();
            if (!isLocal)
            {
                for (var link = 0; link < config.Links.Count; link++)
                {
                    var ls = peer.Links[link];
                    var seen = _detector.LastSeen(i, link);
                    links.Add(new LinkSnapshot(link, config.Links[link], _detector.IsLinkUp(i, link, now) && state != NodeState.Left,
                        seen is { } t ? now - t : null, ls.SmoothedRtt, ls.Received, ls.Lost));
                }
            }

            nodes.Add(new NodeSnapshot(config.Id, config.Name, isLocal, state, isLocal ? Incarnation : peer.Incarnation, links.ToImmutable()));
        }

        var dropped = ImmutableDictionary.CreateBuilder<DatagramVerdict, ulong>();
        for (var v = 0; v < _dropped.Length; v++)
        {
            if (_dropped[v] != 0)
            {
                dropped[(DatagramVerdict)v] = _dropped[v];
            }
        }

        return new MembershipSnapshot(_totem.ClusterName, Self, Incarnation, _installed, _quorum, _dc, nodes.MoveToImmutable(), _accepted,
            dropped.ToImmutable(), _settling);
    }

    /// <summary>Counts a datagram the shell dropped before it reached the codec (e.g. bigger than any valid one).</summary>
    public void CountDrop(DatagramVerdict reason, ulong count = 1) => _dropped[(int)reason] += count;
}
