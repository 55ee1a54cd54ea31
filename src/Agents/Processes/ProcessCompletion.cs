namespace ClusterD.Agents.Processes;

/// <summary>How a run of <see cref="AgentProcessRunner"/> ended.</summary>
public enum ProcessCompletion
{
    /// <summary>The program exited on its own; <see cref="ProcessOutcome.ExitStatus"/> holds its status.</summary>
    Exited,

    /// <summary>The timeout expired; the process group was terminated and killed.</summary>
    TimedOut,

    /// <summary>The caller cancelled; the process group was terminated and killed.</summary>
    Cancelled,

    /// <summary>The program could not be started (<see cref="ProcessOutcome.Error"/> says why).</summary>
    StartFailed,
}
