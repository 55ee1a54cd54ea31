using System.Collections.Immutable;

namespace ClusterD.Agents;

/// <summary>
/// The payload of a clone <c>notify</c> action: which operation, before or after, and the
/// instance lists Pacemaker passes as <c>OCF_RESKEY_CRM_meta_notify_*</c> variables, each a
/// space-separated list of resources (<c>_resource</c>) and, in the same order, nodes (<c>_uname</c>).
/// </summary>
/// <param name="Type">Pre or post.</param>
/// <param name="Operation">The operation announced: start, stop, promote or demote.</param>
public sealed record AgentNotification(NotifyType Type, AgentAction Operation)
{
    /// <summary>Instances being started (<c>notify_start_resource</c>/<c>notify_start_uname</c>).</summary>
    public ImmutableArray<NotifyInstance> Start { get; init; } = [];

    /// <summary>Instances being stopped.</summary>
    public ImmutableArray<NotifyInstance> Stop { get; init; } = [];

    /// <summary>Instances being promoted.</summary>
    public ImmutableArray<NotifyInstance> Promote { get; init; } = [];

    /// <summary>Instances being demoted.</summary>
    public ImmutableArray<NotifyInstance> Demote { get; init; } = [];

    /// <summary>Instances currently active (running in any role).</summary>
    public ImmutableArray<NotifyInstance> Active { get; init; } = [];

    /// <summary>Instances currently inactive (no node).</summary>
    public ImmutableArray<NotifyInstance> Inactive { get; init; } = [];

    /// <summary>Instances currently promoted (also passed under the legacy name <c>notify_master_*</c>).</summary>
    public ImmutableArray<NotifyInstance> Promoted { get; init; } = [];

    /// <summary>Instances currently unpromoted (also passed under the legacy name <c>notify_slave_*</c>).</summary>
    public ImmutableArray<NotifyInstance> Unpromoted { get; init; } = [];

    /// <summary>Every node of the cluster (<c>notify_all_uname</c>).</summary>
    public ImmutableArray<string> AllNodes { get; init; } = [];

    /// <summary>Nodes where the clone may run (<c>notify_available_uname</c>).</summary>
    public ImmutableArray<string> AvailableNodes { get; init; } = [];

    /// <summary>
    /// A post notification of stops that a fence stands for: Pacemaker names it <c>stonith</c> in
    /// <c>notify_key_operation</c> (not <c>stopped</c>), telling the agent its peer was fenced, not stopped.
    /// </summary>
    public bool AfterFencing { get; init; }
}
