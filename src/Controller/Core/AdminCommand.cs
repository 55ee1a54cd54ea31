using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Core;

/// <summary>An operator's command (gRPC, <c>clusterctl</c>); validated by the core against the live cluster.</summary>
public abstract record AdminCommand
{
    private protected AdminCommand()
    {
    }
}

/// <summary><c>clusterctl standby [NODE]</c> / <c>unstandby</c>: a permanent node attribute, as <c>crm node standby</c>.</summary>
public sealed record SetStandby(string Node, bool On) : AdminCommand;

/// <summary><c>clusterctl resource cleanup RES [--node N]</c>: forget failures and history, probe again.</summary>
public sealed record CleanupResource(string? Resource, string? Node) : AdminCommand;

/// <summary><c>clusterctl resource move RES NODE</c>: a <c>cli-prefer-RES</c> location of INFINITY, as <c>crm resource move</c>.</summary>
public sealed record MoveResource(string Resource, string Node) : AdminCommand;

/// <summary><c>clusterctl resource clear RES</c>: removes the constraints move and switchover added.</summary>
public sealed record ClearResource(string Resource) : AdminCommand;

/// <summary><c>clusterctl resource switchover RES</c>: the promoted role goes to the other node, in the safe order.</summary>
public sealed record SwitchoverResource(string Resource) : AdminCommand;

/// <summary><c>clusterctl maintenance on|off</c>: the <c>maintenance-mode</c> property.</summary>
public sealed record SetMaintenance(bool On) : AdminCommand;

/// <summary><c>clusterctl fence NODE</c>: fence a node now through the configured devices, as <c>stonith_admin --fence</c>.</summary>
public sealed record FenceNode(string Node) : AdminCommand;

/// <summary><c>clusterctl configure load replace|update FILE</c>, already parsed and validated whole by the shell.</summary>
public sealed record LoadConfiguration(ClusterConfig Config, bool Replace) : AdminCommand;

/// <summary>How a command ended: <see cref="Code"/> says which gRPC status the edge answers with.</summary>
public sealed record AdminOutcome(AdminOutcomeCode Code, string Message)
{
    public static AdminOutcome Ok(string message) => new(AdminOutcomeCode.Ok, message);

    public bool Succeeded => Code == AdminOutcomeCode.Ok;
}

public enum AdminOutcomeCode
{
    Ok,

    /// <summary>A node or resource that does not exist.</summary>
    NotFound,

    /// <summary>The request is malformed or makes no sense for this resource (switchover of a non-promotable one).</summary>
    InvalidArgument,

    /// <summary>The cluster is not in a state that allows it (no quorum, target offline or banned).</summary>
    FailedPrecondition,

    /// <summary>No quorum, or the view is not trusted yet.</summary>
    Unavailable,
}
