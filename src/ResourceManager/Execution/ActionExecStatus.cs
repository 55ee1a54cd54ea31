namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// How an action's execution ended, apart from the agent's exit code; the values are Pacemaker's
/// <c>PCMK_EXEC_*</c> codes, so they read the same in <see cref="Status.OperationRecord.OpStatus"/>.
/// </summary>
public enum ActionExecStatus
{
    /// <summary>The agent ran to completion; its exit code says how it went.</summary>
    Done = 0,

    Cancelled = 1,

    Timeout = 2,

    /// <summary>It could not be run: the node was unreachable, the runner failed.</summary>
    Error = 4,
}
