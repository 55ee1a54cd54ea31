using ClusterD.Messaging.Security;

namespace ClusterD.Membership.Runtime;

/// <summary>What one node knows of one peer (mutable, owned by the membership core).</summary>
internal sealed class PeerState(int linkCount)
{
    public ulong Incarnation { get; set; }

    /// <summary>The incarnation that announced a clean leave, 0 if none.</summary>
    public ulong LeftIncarnation { get; set; }

    public ulong InstalledSeq { get; set; }

    public uint InstalledMembers { get; set; }

    public ulong ProposalSeq { get; set; }

    public uint ProposalMembers { get; set; }

    public LinkState[] Links { get; } = Enumerable.Range(0, linkCount).Select(_ => new LinkState()).ToArray();

    public void Reset(ulong incarnation)
    {
        Incarnation = incarnation;
        InstalledSeq = 0;
        InstalledMembers = 0;
        ProposalSeq = 0;
        ProposalMembers = 0;
        foreach (var link in Links)
        {
            link.ResetReceive();
        }
    }
}

/// <summary>One direction pair of one link to one peer: our send sequence and RTT probes, their replay window.</summary>
internal sealed class LinkState
{
    /// <summary>How many sent heartbeats are remembered for RTT echoes (a few seconds at any sane interval).</summary>
    public const int SentHistory = 64;

    private readonly ulong[] _sentSeq = new ulong[SentHistory];
    private readonly TimeSpan[] _sentAt = new TimeSpan[SentHistory];
    private ReplayWindow _window;

    public ulong NextSendSeq { get; private set; }

    /// <summary>The last sequence sent before this node's newest noticed pause: an echo above it proves the peer heard us since.</summary>
    public ulong ResumeSeq { get; private set; }

    public ulong Received => _window.Accepted;

    public ulong Lost => _window.Lost;

    public ulong LastReceivedSeq => _window.Highest;

    public TimeSpan LastReceivedAt { get; private set; }

    /// <summary>Smoothed RTT (TCP's SRTT, RFC 6298: 7/8 old + 1/8 new), null before the first echo.</summary>
    public TimeSpan? SmoothedRtt { get; private set; }

    public ulong TakeSendSeq(TimeSpan now)
    {
        var seq = ++NextSendSeq;
        var slot = (int)(seq % SentHistory);
        _sentSeq[slot] = seq;
        _sentAt[slot] = now;
        return seq;
    }

    public void MarkResume() => ResumeSeq = NextSendSeq;

    public ReplayVerdict Accept(ulong seq, TimeSpan now)
    {
        var verdict = _window.Check(seq);
        if (verdict == ReplayVerdict.Accepted && seq == _window.Highest)
        {
            LastReceivedAt = now;
        }

        return verdict;
    }

    public void OnEcho(ulong echoSeq, TimeSpan peerHeld, TimeSpan now)
    {
        var slot = (int)(echoSeq % SentHistory);
        if (echoSeq == 0 || _sentSeq[slot] != echoSeq)
        {
            return;
        }

        var rtt = now - _sentAt[slot] - peerHeld;
        if (rtt < TimeSpan.Zero)
        {
            rtt = TimeSpan.Zero;
        }

        SmoothedRtt = SmoothedRtt is { } s ? ((s * 7) + rtt) / 8 : rtt;
    }

    public void ResetReceive()
    {
        _window = default;
        LastReceivedAt = default;
    }
}
