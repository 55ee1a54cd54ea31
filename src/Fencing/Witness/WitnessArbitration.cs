namespace ClusterD.Fencing.Witness;

/// <summary>
/// One fence race decided by a cloud witness, pure: a node that lost its peer asks for the witness's lease
/// and fences only when it got it. The side fencing the node that holds the promoted instance (the
/// disfavoured side) asks a head start later, so in a partition the active node wins, while after a real
/// crash the survivor waits only the head start instead of the priority fencing delay. A witness that does
/// not answer leaves the decision to the priority fencing delay. The holder renews the lease while its fence
/// runs and gives it back once the target is confirmed off.
/// </summary>
/// <remarks>
/// Nothing asks for the lease while both nodes see each other: an arbitration exists only for a fence race
/// (<see cref="Policy.FenceDelayPolicy.RaceFor"/>), so losing the witness then changes nothing. Time is an
/// input: every method takes "now", and the expiry of a lease counts from when its request was sent (the
/// witness may have granted it at any instant after that).
/// </remarks>
public sealed class WitnessArbitration
{
    private readonly WitnessOptions _options;

    /// <param name="target">The node to fence.</param>
    /// <param name="disfavoured">This side fences the node that holds the promoted instance: it asks after the head start.</param>
    /// <param name="options">The timings.</param>
    /// <param name="now">When the fence was asked for.</param>
    public WitnessArbitration(string target, bool disfavoured, WitnessOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        Target = target;
        _options = options;
        AttemptAt = disfavoured ? now + options.HeadStart : now;
    }

    public string Target { get; }

    public WitnessPhase Phase { get; private set; } = WitnessPhase.Waiting;

    /// <summary>When the lease may be asked for: at once, or after the head start.</summary>
    public DateTimeOffset AttemptAt { get; }

    /// <summary>While holding: when to renew next.</summary>
    public DateTimeOffset? RenewAt { get; private set; }

    /// <summary>While holding: when the lease runs out at the latest unless renewed.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>The answer to the lease request sent at <paramref name="sentAt"/>, received at <paramref name="now"/>.</summary>
    public (WitnessVerdict Verdict, WitnessDecision Decision) Acquired(LeaseReply reply, DateTimeOffset sentAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (Phase != WitnessPhase.Waiting || sentAt < AttemptAt)
        {
            throw new InvalidOperationException($"the lease is asked for once, from {AttemptAt:O} (phase {Phase}, sent {sentAt:O})");
        }

        switch (reply.Result)
        {
            case LeaseResult.Granted:
                Hold(sentAt, now);
                return (WitnessVerdict.Fence, Decide(now, WitnessDecisionKind.Acquired, $"holds the witness lease: fencing {Target} ({reply.Detail})"));
            case LeaseResult.HeldByOther or LeaseResult.NotHeld:
                Phase = WitnessPhase.Yielded;
                return (WitnessVerdict.DoNotFence, Decide(now, WitnessDecisionKind.Yielded,
                    $"the witness lease is held by the other side: not fencing {Target}, starting and promoting nothing until {Target} is back or the lease is free ({reply.Detail})"));
            default:
                Phase = WitnessPhase.FellBack;
                return (WitnessVerdict.FallBack, Decide(now, WitnessDecisionKind.FellBack,
                    $"the witness is unreachable ({reply.Detail}): the priority fencing delay decides the fence of {Target}"));
        }
    }

    /// <summary>
    /// The answer to the renewal sent at <paramref name="sentAt"/>: whether the fence goes on, and the decision
    /// when there is one worth an event (a renewal that failed, the lease lost). A renewal that did not reach the
    /// witness keeps the fence going while the lease still runs; once it has run out unrenewed, the other side may
    /// hold it, and the fence stops.
    /// </summary>
    public (bool KeepFencing, WitnessDecision? Decision) Renewed(LeaseReply reply, DateTimeOffset sentAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (Phase != WitnessPhase.Holding)
        {
            return (false, null);
        }

        switch (reply.Result)
        {
            case LeaseResult.Granted:
                Hold(sentAt, now);
                return (true, null);
            case LeaseResult.Unreachable when now < ExpiresAt:
                RenewAt = Earliest(now + _options.RenewRetry, ExpiresAt!.Value);
                return (true, Decide(now, WitnessDecisionKind.RenewFailed,
                    $"renewing the witness lease failed ({reply.Detail}); it runs until {ExpiresAt:HH:mm:ss.fff}, fencing {Target} goes on"));
            default:
                Phase = WitnessPhase.Lost;
                RenewAt = null;
                return (false, Decide(now, WitnessDecisionKind.LeaseLost,
                    $"the witness lease was lost while fencing {Target} ({reply.Detail}): the fence stops"));
        }
    }

    /// <summary>
    /// The fence ended. The lease is given back only after <paramref name="fenced"/> (the target confirmed off);
    /// after a failed fence it is kept until it runs out, so the next attempt (the DC asks again) gets it again.
    /// </summary>
    public bool ShouldRelease(bool fenced) => fenced && Phase == WitnessPhase.Holding;

    /// <summary>The answer to the release.</summary>
    public WitnessDecision Released(LeaseReply reply, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Phase = WitnessPhase.Released;
        RenewAt = null;
        return reply.Result == LeaseResult.Granted
            ? Decide(now, WitnessDecisionKind.Released, $"{Target} is confirmed off: witness lease released")
            : Decide(now, WitnessDecisionKind.ReleaseFailed, $"{Target} is confirmed off; releasing the witness lease failed ({reply.Detail}), it runs out by {ExpiresAt:HH:mm:ss.fff}");
    }

    private void Hold(DateTimeOffset sentAt, DateTimeOffset now)
    {
        Phase = WitnessPhase.Holding;
        ExpiresAt = sentAt + _options.LeaseDuration;
        RenewAt = Earliest(now + _options.RenewInterval, ExpiresAt.Value);
    }

    private WitnessDecision Decide(DateTimeOffset now, WitnessDecisionKind kind, string message) => new(now, Target, kind, message);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>Where a <see cref="WitnessArbitration"/> stands.</summary>
public enum WitnessPhase
{
    /// <summary>Before the lease request (the head start, or the request under way).</summary>
    Waiting,

    /// <summary>This node holds the lease and fences.</summary>
    Holding,

    /// <summary>The other side holds the lease.</summary>
    Yielded,

    /// <summary>The witness did not answer: the priority fencing delay decides.</summary>
    FellBack,

    /// <summary>The lease was lost while fencing.</summary>
    Lost,

    /// <summary>The target is off and the lease released (or left to run out).</summary>
    Released,
}
