namespace ClusterD.Fencing;

/// <summary>How one fence agent action ended.</summary>
/// <param name="Succeeded">
/// The action did what it was asked. For <see cref="FenceAction.Status"/> that means the power state is
/// known: exit 0 (on) or 2 (off); read <paramref name="ExitCode"/> for which.
/// </param>
/// <param name="ExitCode">
/// The agent's exit status (<see cref="FenceExitCodes"/>), or <see cref="FenceExitCodes.NotRun"/> when it
/// did not exit on its own (refused, not found, timed out, cancelled).
/// </param>
/// <param name="Reason">Why it failed, in words; null on success.</param>
/// <param name="Output">What the agent wrote (stdout and stderr interleaved), bounded; null when it did not run.</param>
public sealed record FenceResult(bool Succeeded, int ExitCode, string? Reason, string? Output)
{
    /// <summary>For a successful <see cref="FenceAction.Status"/>: true when the target is powered off.</summary>
    public bool IsOff => Succeeded && ExitCode == FenceExitCodes.StatusOff;

    /// <summary>
    /// For a successful <see cref="FenceAction.Reboot"/>: the target was confirmed off and its power-on was
    /// left for later, so failover does not wait for it to boot (the built-in Azure agent). Whoever fenced
    /// starts it with <see cref="Fencer.PowerOnAsync"/> once the cluster has recovered.
    /// </summary>
    public bool PowerOnDeferred { get; init; }

    /// <summary>A failure without an agent exit status (refused, missing, timed out).</summary>
    public static FenceResult NotRun(string reason, string? output = null) => new(false, FenceExitCodes.NotRun, reason, output);
}
