namespace ClusterD.Agents;

/// <summary>
/// OCF exit codes 0-9 (OCF 1.1 "Return codes"; resource-agents <c>heartbeat/ocf-returncodes</c>).
/// <see cref="OcfExitCodes"/> gives each its symbolic name and Pacemaker's failure severity.
/// </summary>
public enum OcfExitCode
{
    /// <summary>OCF_SUCCESS: the action succeeded; for monitor, the resource is running.</summary>
    Success = 0,

    /// <summary>OCF_ERR_GENERIC: a soft error; Pacemaker restarts or moves the resource.</summary>
    GenericError = 1,

    /// <summary>OCF_ERR_ARGS: the parameters are invalid on this node (hard: ban the node).</summary>
    InvalidArgument = 2,

    /// <summary>OCF_ERR_UNIMPLEMENTED: the agent does not implement the action.</summary>
    Unimplemented = 3,

    /// <summary>OCF_ERR_PERM: insufficient privileges on this node.</summary>
    InsufficientPrivileges = 4,

    /// <summary>OCF_ERR_INSTALLED: the agent or a tool it needs is missing on this node.</summary>
    NotInstalled = 5,

    /// <summary>OCF_ERR_CONFIGURED: the configuration is wrong everywhere (fatal: never retry anywhere).</summary>
    NotConfigured = 6,

    /// <summary>OCF_NOT_RUNNING: cleanly stopped; expected from a probe, a failure from a recurring monitor.</summary>
    NotRunning = 7,

    /// <summary>OCF_RUNNING_PROMOTED (formerly OCF_RUNNING_MASTER): running in the promoted role.</summary>
    RunningPromoted = 8,

    /// <summary>OCF_FAILED_PROMOTED (formerly OCF_FAILED_MASTER): failed while promoted.</summary>
    FailedPromoted = 9,
}
