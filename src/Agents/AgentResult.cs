using System.Collections.Immutable;

namespace ClusterD.Agents;

/// <summary>
/// What one action did: its OCF exit code, whether it ran to completion, how long it took, what
/// it printed (bounded), and structured extras such as a promotion score or warnings.
/// </summary>
/// <param name="ExitCode">The OCF answer. <see cref="OcfExitCode.GenericError"/> for a timeout or cancellation.</param>
/// <param name="Status">Completed, timed out, cancelled, or not run at all.</param>
/// <param name="Duration">Wall time of the action, measured on the runner's <see cref="TimeProvider"/>.</param>
public sealed record AgentResult(OcfExitCode ExitCode, AgentExecutionStatus Status, TimeSpan Duration)
{
    /// <summary>Default bound of <see cref="Output"/>: 64 KiB of stdout and stderr together.</summary>
    public const int DefaultOutputLimit = 64 * 1024;

    /// <summary>
    /// What the agent printed on stdout and stderr, interleaved as it arrived, at most the
    /// runner's limit (<see cref="DefaultOutputLimit"/>); see <see cref="OutputTruncated"/>.
    /// For <see cref="AgentAction.MetaData"/> this is the XML.
    /// </summary>
    public string Output { get; init; } = "";

    /// <summary>True when output was dropped to stay within the bound (the head and the tail are kept).</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>The process's own exit status before mapping (an LSB status 3 is <see cref="OcfExitCode.NotRunning"/>); null for native agents or when killed.</summary>
    public int? RawExitStatus { get; init; }

    /// <summary>A one-line reason for a failure: the agent's <c>ocf-exit-reason:</c>, or the runner's (timeout, missing agent).</summary>
    public string? ExitReason { get; init; }

    /// <summary>Things worth an operator's attention that did not fail the action (odd meta-data, risky settings).</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>Structured extras; well-known keys are in <see cref="AgentResultExtras"/>.</summary>
    public IReadOnlyDictionary<string, string> Extras { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The exit code's OCF symbol, e.g. <c>OCF_NOT_RUNNING</c>.</summary>
    public string Name => ExitCode.Symbol();

    /// <summary>True for <see cref="OcfExitCode.Success"/> after a completed run.</summary>
    public bool IsSuccess => Status == AgentExecutionStatus.Completed && ExitCode == OcfExitCode.Success;

    /// <summary>
    /// Pacemaker's severity if this result was unexpected: a timeout is soft (like a generic error),
    /// a cancellation is none (the caller asked for it), otherwise <see cref="OcfExitCodes.Severity"/>.
    /// </summary>
    public OcfFailureSeverity Severity => Status switch
    {
        AgentExecutionStatus.Cancelled => OcfFailureSeverity.None,
        AgentExecutionStatus.TimedOut => OcfFailureSeverity.Soft,
        _ => ExitCode.Severity(),
    };

    /// <summary>A completed result with an exit code, as native agents return it.</summary>
    public static AgentResult Completed(OcfExitCode exitCode, TimeSpan duration, string? exitReason = null) =>
        new(exitCode, AgentExecutionStatus.Completed, duration) { ExitReason = exitReason };

    /// <summary>The agent could not be run: nothing was executed.</summary>
    public static AgentResult NotRun(OcfExitCode exitCode, string reason) =>
        new(exitCode, AgentExecutionStatus.NotRun, TimeSpan.Zero) { ExitReason = reason };
}
