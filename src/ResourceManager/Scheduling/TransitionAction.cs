using System.Globalization;
using ClusterD.Agents;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// One action of a transition: <see cref="Op"/> of the primitive <see cref="Resource"/> on
/// <see cref="Node"/>. A clone's instances are named by their primitive and told apart by node. For
/// <see cref="TransitionOp.Fence"/>, <see cref="Node"/> is the node to fence and <see cref="Resource"/>
/// the fence device (empty when none is configured). A recurring monitor carries its
/// <see cref="Interval"/> and the <see cref="Role"/> it checks. A <see cref="TransitionOp.Notify"/> carries its
/// <see cref="Notification"/>: pre or post, the operation announced and the clone's instance lists.
/// </summary>
public sealed record TransitionAction(
    TransitionOp Op,
    string Resource,
    string Node,
    Duration Interval = default,
    ResourceRole? Role = null)
{
    private string? _id;

    // The id is worked out once (it is looked up everywhere) and again after a "with" changes what it is made of.
    public TransitionOp Op { get; init { field = value; _id = null; } } = Op;

    public string Resource { get; init { field = value; _id = null; } } = Resource;

    public string Node { get; init { field = value; _id = null; } } = Node;

    public Duration Interval { get; init { field = value; _id = null; } } = Interval;

    /// <summary>For <see cref="TransitionOp.Notify"/>: what the instance is told (Pacemaker's <c>notify_*</c> meta attributes).</summary>
    public AgentNotification? Notification { get; init { field = value; _id = null; } }

    /// <summary>
    /// Unique within a graph and stable across runs: <c>start:mysqld@hadb02</c>,
    /// <c>monitor-29s:drbd_mysql@hadb01</c>, <c>probe:mysqld@hadb01</c>, <c>fence@hadb01</c>,
    /// <c>notify-pre-start:drbd_mysql@hadb02</c>.
    /// </summary>
    public string Id => _id ??= Op switch
    {
        TransitionOp.Fence => "fence@" + Node,
        TransitionOp.Monitor when IsProbe => $"probe:{Resource}@{Node}",
        TransitionOp.Monitor => string.Create(CultureInfo.InvariantCulture, $"monitor-{Interval}:{Resource}@{Node}"),
        TransitionOp.Notify => $"notify-{NotifyPhase}:{Resource}@{Node}",
        _ => $"{OpName}:{Resource}@{Node}",
    };

    /// <summary>A one-shot monitor that finds out whether the resource runs on the node at all (Pacemaker's <c>monitor_0</c>).</summary>
    public bool IsProbe => Op == TransitionOp.Monitor && Interval == Duration.Zero;

    /// <summary>For a notification, <c>pre-start</c>, <c>post-promote</c>, ...; empty otherwise.</summary>
    public string NotifyPhase => Notification is { } n ? (n.Type == NotifyType.Pre ? "pre-" : "post-") + n.Operation.ToOcfName() : "";

    /// <summary>The op in lower case, as <c>simulate --json</c> prints it.</summary>
    public string OpName => Name(Op);

    public static string Name(TransitionOp op) => op switch
    {
        TransitionOp.Start => "start",
        TransitionOp.Stop => "stop",
        TransitionOp.Promote => "promote",
        TransitionOp.Demote => "demote",
        TransitionOp.Monitor => "monitor",
        TransitionOp.Fence => "fence",
        TransitionOp.Notify => "notify",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public bool Equals(TransitionAction? other) =>
        other is not null && Op == other.Op && Resource == other.Resource && Node == other.Node && Interval == other.Interval && Role == other.Role
        && Notification?.Type == other.Notification?.Type && Notification?.Operation == other.Notification?.Operation;

    public override int GetHashCode() => HashCode.Combine(Op, Resource, Node, Interval, Role, Notification?.Type, Notification?.Operation);

    public override string ToString() => Id;
}
