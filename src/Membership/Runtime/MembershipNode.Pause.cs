using System.Numerics;
using ClusterD.Membership.Views;

namespace ClusterD.Membership.Runtime;

/// <summary>
/// Pauses of this node itself (docs/membership.md, "Pauses of the node itself"). A loop that runs
/// calls the core at least once per heartbeat interval; a longer gap between two calls means this
/// process did not run (SIGSTOP, a frozen VM, a starved thread pool). Silence measured across such a
/// gap is this node's deafness, not the peers' failure, and anything the peers decided meanwhile is
/// unknown: so the detector's clocks restart at the resume, no view is installed until every peer
/// heard before the pause has answered one of our post-resume heartbeats (or a full token passed),
/// and <see cref="Settling"/> tells the controller not to act until a view is agreed again.
/// </summary>
public sealed partial class MembershipNode
{
    private readonly List<ViewTrustChange> _trustChanges = [];
    private TimeSpan? _lastActivity;
    private ViewSettling? _settling;

    /// <summary>Peers heard before the pause that have not yet answered a heartbeat of ours sent after it.</summary>
    private uint _awaiting;

    /// <summary>
    /// The longest gap between two calls into the core that is still a running loop: token / 2, and at
    /// least two heartbeat intervals. A running loop's gaps are at most one interval (plus timer jitter); a
    /// pause can make a peer look lost only when it exceeds token minus one interval (the peer was heard at
    /// most one interval before it). With the default interval of token / 5 the two bounds are 0.2 and 0.8
    /// token, and token / 2 sits in the middle, 0.3 token from either: 500 ms at token 1000.
    /// </summary>
    public TimeSpan PauseBound => _totem.Token / 2 > _totem.HeartbeatInterval * 2 ? _totem.Token / 2 : _totem.HeartbeatInterval * 2;

    /// <summary>Null while this node trusts its view; otherwise the pause that makes it distrust it.</summary>
    public ViewSettling? Settling => _settling;

    /// <summary>False from a noticed pause of this node until it has heard its peers again and holds an agreed view.</summary>
    public bool ViewTrusted => _settling is null;

    /// <summary>Returns and forgets the trust changes since the last call, oldest first.</summary>
    public IReadOnlyList<ViewTrustChange> TakeTrustChanges()
    {
        if (_trustChanges.Count == 0)
        {
            return [];
        }

        var taken = _trustChanges.ToArray();
        _trustChanges.Clear();
        return taken;
    }

    /// <summary>Called first by every input: notices a gap longer than <see cref="PauseBound"/> since the previous one.</summary>
    private void NoticePause(TimeSpan now)
    {
        if (_lastActivity is { } last && now - last > PauseBound)
        {
            _awaiting = 0;
            for (var i = 0; i < _nodes.Count; i++)
            {
                if (i != _me && IsAlive(i, last))
                {
                    _awaiting |= 1u << i;
                }
            }

            _detector.Resume(last, now);
            foreach (var peer in _peers)
            {
                foreach (var link in peer.Links)
                {
                    link.MarkResume();
                }
            }

            if (_settling is null)
            {
                _settling = new ViewSettling(last, now, Replaced: false);
                _trustChanges.Add(new ViewTrustChange(false, _settling, now));
            }
            else
            {
                _settling = _settling with { ResumedAt = now }; // paused again before settling: the window starts over
            }

            _sendNow = true; // be heard at once: the peers' answers end the window
        }

        _lastActivity = now;
    }

    /// <summary>Called from <c>Accept</c> for a heartbeat of <paramref name="from"/> on <paramref name="link"/>.</summary>
    private void HeardWhileSettling(int from, LinkState link)
    {
        if (_settling is null)
        {
            return;
        }

        // The echo names our newest heartbeat the peer had received: one sent after the resume means
        // this heartbeat was sent after it, not queued during the pause.
        if (_in.EchoSeq > link.ResumeSeq)
        {
            _awaiting &= ~(1u << from);
        }

        if (!_settling.Replaced && (_installedMembers & (1u << from)) != 0 && _in.InstalledSeq > _installedSeq
            && (_in.InstalledMembers & (1u << _me)) == 0)
        {
            _settling = _settling with { Replaced = true };
        }
    }

    /// <summary>True while a noticed pause still forbids installing a view.</summary>
    private bool HoldsViews(TimeSpan now)
    {
        if (_settling is null || now > _settling.ResumedAt + _totem.Token)
        {
            return false;
        }

        for (var rest = _awaiting; rest != 0; rest &= rest - 1)
        {
            if (IsAlive(BitOperations.TrailingZeroCount(rest), now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Called last by every input: ends the window once views may be installed and the installed one is agreed.</summary>
    private void Settle(TimeSpan now)
    {
        if (_settling is null || HoldsViews(now) || !IsInstalledViewAgreed())
        {
            return;
        }

        _trustChanges.Add(new ViewTrustChange(true, _settling, now));
        _settling = null;
        _awaiting = 0;
    }

    /// <summary>The installed view is the target, this node proposes it, and so does every other member.</summary>
    private bool IsInstalledViewAgreed()
    {
        if (_target != _installedMembers || _needsNewView || _proposalMembers != _installedMembers || _proposalSeq != _installedSeq)
        {
            return false;
        }

        for (var rest = _installedMembers & ~(1u << _me); rest != 0; rest &= rest - 1)
        {
            var peer = _peers[BitOperations.TrailingZeroCount(rest)];
            if (peer.ProposalMembers != _installedMembers || peer.ProposalSeq != _installedSeq)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first instant after a pause at which <see cref="HoldsViews"/> gives way to the token deadline.</summary>
    private TimeSpan? SettlingDeadline => _settling is { } s ? s.ResumedAt + _totem.Token + TimeSpan.FromTicks(1) : null;
}
