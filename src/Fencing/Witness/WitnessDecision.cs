namespace ClusterD.Fencing.Witness;

/// <summary>One decision of a witness arbitration, for the event stream, status and the log.</summary>
/// <param name="Time">When it was taken.</param>
/// <param name="Target">The node whose fencing it is about.</param>
/// <param name="Kind">What was decided.</param>
/// <param name="Message">The decision in words, with the witness's answer.</param>
public sealed record WitnessDecision(DateTimeOffset Time, string Target, WitnessDecisionKind Kind, string Message);

/// <summary>The decisions a witness arbitration takes.</summary>
public enum WitnessDecisionKind
{
    /// <summary>This node got the lease: it fences the target.</summary>
    Acquired,

    /// <summary>The lease is held by the other side: this node does not fence, and starts and promotes nothing.</summary>
    Yielded,

    /// <summary>The witness did not answer: the priority fencing delay decides, as without a witness.</summary>
    FellBack,

    /// <summary>A renewal during the fence did not reach the witness; the lease still runs.</summary>
    RenewFailed,

    /// <summary>The lease was lost while fencing (taken over, or expired unrenewed): the fence stops.</summary>
    LeaseLost,

    /// <summary>The target is confirmed off and the lease given back.</summary>
    Released,

    /// <summary>The target is confirmed off; giving the lease back failed (it expires on its own).</summary>
    ReleaseFailed,
}
