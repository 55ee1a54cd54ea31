using System.Collections.Immutable;
using ClusterD.Fencing.History;
using ClusterD.Fencing.Witness;

namespace ClusterD.Fencing;

/// <summary>How a fencing operation ended.</summary>
/// <param name="Succeeded">A device confirmed the target off (or rebooted): its resources may be recovered.</param>
/// <param name="Entry">The operation's final history entry (target, device, times, reason).</param>
/// <param name="Attempts">Every device run, in order; empty when no device could fence the target.</param>
public sealed record FenceOutcome(bool Succeeded, FenceHistoryEntry Entry, ImmutableArray<FenceAttempt> Attempts)
{
    /// <summary>
    /// A reboot that powered the target off and left its power-on for later (<see cref="FenceResult.PowerOnDeferred"/>):
    /// call <see cref="Fencer.PowerOnAsync"/> once the cluster has recovered.
    /// </summary>
    public bool PowerOnDeferred => Succeeded && !Attempts.IsEmpty && Attempts[^1].Result.PowerOnDeferred;

    /// <summary>What the cloud witness decided for this operation; null when it was not asked (no witness, or no fence race).</summary>
    public WitnessVerdict? Witness { get; init; }

    /// <summary>The other side holds the witness lease: this node did not fence, and must start and promote nothing.</summary>
    public bool Yielded => Witness == WitnessVerdict.DoNotFence;
}
