namespace ClusterD.Agents.Processes;

/// <summary>The result of one run of <see cref="AgentProcessRunner"/>.</summary>
/// <param name="Completion">Exited, timed out, cancelled, or not started.</param>
/// <param name="ExitStatus">The exit status when <see cref="ProcessCompletion.Exited"/> (128+N when killed by signal N); null otherwise.</param>
/// <param name="Duration">From start to the end of the run, including killing the group.</param>
/// <param name="Output">Stdout and stderr interleaved, bounded.</param>
/// <param name="OutputTruncated">True when output was dropped to stay within the bound.</param>
public sealed record ProcessOutcome(
    ProcessCompletion Completion,
    int? ExitStatus,
    TimeSpan Duration,
    string Output,
    bool OutputTruncated)
{
    /// <summary>
    /// For a timeout or cancellation: which processes of the group were still running (pid and
    /// command), so a hang is attributable; for a failed start: the reason. Null after a normal exit.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>Stdout alone, bounded like <see cref="Output"/>, when <see cref="ProcessSpec.CaptureStandardOutput"/> was set; else null.</summary>
    public string? StandardOutput { get; init; }

    /// <summary>The process id of the program, which is also its process group and session id; 0 when not started.</summary>
    public int ProcessGroup { get; init; }
}
