namespace ClusterD.Agents;

/// <summary>
/// The OCF actions (OCF 1.1 section "Actions"). <see cref="AgentActions"/> converts to and from
/// the names agents receive as their first argument.
/// </summary>
public enum AgentAction
{
    /// <summary><c>start</c>: bring the resource up; succeeds when it is already running.</summary>
    Start,

    /// <summary><c>stop</c>: take it down; succeeds when it is already stopped. Failure here escalates to fencing.</summary>
    Stop,

    /// <summary><c>monitor</c>: report state (0 running, 7 stopped, 8 promoted), optionally at <see cref="AgentRequest.CheckLevel"/> depth.</summary>
    Monitor,

    /// <summary><c>promote</c>: unpromoted to promoted (promotable clones only).</summary>
    Promote,

    /// <summary><c>demote</c>: promoted to unpromoted, staying started.</summary>
    Demote,

    /// <summary><c>notify</c>: pre/post notification about a clone operation (<see cref="AgentRequest.Notification"/>).</summary>
    Notify,

    /// <summary><c>validate-all</c>: check the parameters without touching the resource.</summary>
    ValidateAll,

    /// <summary><c>meta-data</c>: print the agent's XML description on stdout.</summary>
    MetaData,
}
