using System.Collections.Immutable;
using System.Diagnostics;
using System.Numerics;
using ClusterD.Membership.Election;
using ClusterD.Membership.Quorum;
using ClusterD.Membership.Views;

namespace ClusterD.Membership.Runtime;

public sealed partial class MembershipNode
{
    private uint AllNodes => _nodes.Count == 32 ? uint.MaxValue : (1u << _nodes.Count) - 1;

    private bool IsAlive(int node, TimeSpan now) =>
        _detector.IsAlive(node, now) && _peers[node].LeftIncarnation != _peers[node].Incarnation;

    /// <summary>
    /// One step of the view agreement (docs/membership.md): refresh our connectivity row, compute
    /// the target view from the gossiped matrix, propose it, and install it once every target
    /// member proposes exactly the same member set and sequence number.
    /// </summary>
    private void Recompute(TimeSpan now)
    {
        var heard = 1u << _me;
        for (var i = 0; i < _nodes.Count; i++)
        {
            if (i != _me && IsAlive(i, now))
            {
                heard |= 1u << i;
            }
        }

        if (heard != _rows[_me].Heard)
        {
            _rows[_me] = _rows[_me] with { Version = ++_rowVersion, Heard = heard };
            _matrixDirty = true;
        }

        if (_matrixDirty)
        {
            _target = ComputeTarget();
            _matrixDirty = false;
        }

        var target = _target;
        var others = target & ~(1u << _me);
        ulong seq;
        if (target == _installedMembers && !_needsNewView)
        {
            seq = _installedSeq; // steady state: propose what is installed
        }
        else if (target == _proposalMembers && _proposalSeq > _installedSeq)
        {
            seq = _proposalSeq; // still waiting for the others to propose the same
        }
        else
        {
            var floor = Math.Max(_installedSeq, _highestProposedSeq);
            for (var rest = others; rest != 0; rest &= rest - 1)
            {
                floor = Math.Max(floor, _peers[BitOperations.TrailingZeroCount(rest)].InstalledSeq);
            }

            seq = floor + 1;
        }

        // Adopt the highest proposal for the same member set, so that proposals converge.
        var agreed = true;
        for (var rest = others; rest != 0; rest &= rest - 1)
        {
            var p = _peers[BitOperations.TrailingZeroCount(rest)];
            if (p.ProposalMembers == target && p.ProposalSeq > seq)
            {
                seq = p.ProposalSeq;
            }
        }

        // Never propose a sequence number already proposed for another member set.
        var steady = target == _installedMembers && seq == _installedSeq;
        if (!steady && (seq < _highestProposedSeq || (seq == _highestProposedSeq && target != _highestProposedMembers)))
        {
            seq = _highestProposedSeq + 1;
        }

        if (seq > _highestProposedSeq)
        {
            _highestProposedSeq = seq;
            _highestProposedMembers = target;
        }

        for (var rest = others; rest != 0; rest &= rest - 1)
        {
            var p = _peers[BitOperations.TrailingZeroCount(rest)];
            agreed &= p.ProposalMembers == target && p.ProposalSeq == seq;
        }

        if (seq != _proposalSeq || target != _proposalMembers)
        {
            _proposalSeq = seq;
            _proposalMembers = target;
            _sendNow = true;
        }

        // After a pause of this node, no view until the peers have answered (MembershipNode.Pause.cs).
        if (agreed && seq > _installedSeq && !HoldsViews(now))
        {
            Install(target, seq, now);
        }
    }

    private uint ComputeTarget()
    {
        // An edge needs both ends to hear each other, each according to its own newest row.
        for (var i = 0; i < _nodes.Count; i++)
        {
            var adjacent = 0u;
            var row = _rows[i];
            if (row.Incarnation != 0)
            {
                for (var j = 0; j < _nodes.Count; j++)
                {
                    if (j != i && (row.Heard & (1u << j)) != 0 && _rows[j].Incarnation != 0 && (_rows[j].Heard & (1u << i)) != 0)
                    {
                        adjacent |= 1u << j;
                    }
                }
            }

            _adjacency[i] = adjacent;
        }

        return CliquePartition.ComponentOf(_me, _adjacency, _nodes.Count);
    }

    private void Install(uint members, ulong seq, TimeSpan now)
    {
        Debug.Assert(seq > _installedSeq, "ring sequence numbers only increase");
        var previous = _installed;
        var list = ImmutableArray.CreateBuilder<ViewMember>(BitOperations.PopCount(members));
        var votes = 0u;
        foreach (var index in Indexes(members))
        {
            list.Add(new ViewMember(_nodes[index].Id, index == _me ? Incarnation : _peers[index].Incarnation));
            votes += _nodes[index].Votes;
        }

        var current = new MembershipView(new RingId(seq, list[0].Id), list.MoveToImmutable());
        var joined = current.Members.Except(previous.Members).Select(m => m.Id).ToImmutableArray();
        var gone = previous.Members.Except(current.Members).ToArray();
        var left = gone.Where(m => _nodes.TryGetIndex(m.Id, out var i) && _peers[i].LeftIncarnation == m.Incarnation)
            .Select(m => m.Id).ToImmutableArray();
        var lost = gone.Select(m => m.Id).Except(left).ToImmutableArray();

        _allNodesSeenTogether |= members == AllNodes;
        _installed = current;
        _installedMembers = members;
        _installedSeq = seq;
        _needsNewView = false;
        var (previousQuorate, previousDc, first) = (_quorum.Quorate, _dc, !_installedAny);
        _installedAny = true;
        _quorum = QuorumPolicy.Evaluate(votes, _allNodesSeenTogether, _quorumOptions);
        _dc = DcElection.Choose(current, _quorum.Quorate);
        _changes.Add(new ViewChange(previous, current, joined, lost, left, _quorum, _dc, now)
        {
            QuorumChanged = first || previousQuorate != _quorum.Quorate,
            DcChanged = first || previousDc != _dc,
            LostSilence = Silence(lost, now),
        });
        _sendNow = true;
    }

    /// <summary>How long the longest-silent lost node had not been heard when its loss was installed: the detection time.</summary>
    private TimeSpan? Silence(ImmutableArray<NodeId> lost, TimeSpan now)
    {
        TimeSpan? longest = null;
        foreach (var id in lost)
        {
            if (_nodes.TryGetIndex(id, out var index) && _detector.LastSeen(index) is { } seen && (longest is null || now - seen > longest))
            {
                longest = now - seen;
            }
        }

        return longest;
    }

    private static IEnumerable<int> Indexes(uint members)
    {
        while (members != 0)
        {
            var index = BitOperations.TrailingZeroCount(members);
            members &= members - 1;
            yield return index;
        }
    }
}
