namespace ClusterD.Agents;

/// <summary>
/// Whether the action ran to completion, separate from its exit code (Pacemaker keeps the same
/// split: <c>PCMK_EXEC_DONE</c>, <c>PCMK_EXEC_TIMEOUT</c>, <c>PCMK_EXEC_CANCELLED</c>, ...).
/// </summary>
public enum AgentExecutionStatus
{
    /// <summary>The agent finished and <see cref="AgentResult.ExitCode"/> is its answer.</summary>
    Completed,

    /// <summary>The action exceeded its timeout and was killed; the exit code is <see cref="OcfExitCode.GenericError"/>.</summary>
    TimedOut,

    /// <summary>The caller cancelled the action and it was killed; the exit code is <see cref="OcfExitCode.GenericError"/>.</summary>
    Cancelled,

    /// <summary>
    /// The action could not be run at all (agent missing, not executable, the service manager
    /// absent); the exit code says why, usually <see cref="OcfExitCode.NotInstalled"/>.
    /// </summary>
    NotRun,
}
