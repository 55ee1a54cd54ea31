namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// An <c>op</c> line: the action name, its interval (0 for one-shot actions such as start and stop),
/// timeout, role (for role-specific monitors) and on-fail policy. Other attributes (<c>start-delay</c>,
/// <c>enabled</c>, <c>record-pending</c>, <c>OCF_CHECK_LEVEL</c>, ...) are kept in
/// <see cref="Attributes"/>. An operation is identified by name and interval, as in Pacemaker.
/// </summary>
public sealed record Operation(
    string Name,
    Duration Interval = default,
    Duration? Timeout = null,
    ResourceRole? Role = null,
    OnFailPolicy? OnFail = null,
    AttributeMap Attributes = default)
{
    /// <summary>The action names Pacemaker schedules; others are accepted with a warning.</summary>
    public static readonly IReadOnlyList<string> KnownNames =
        ["start", "stop", "monitor", "promote", "demote", "notify", "migrate_to", "migrate_from", "reload", "reload-agent", "meta-data", "validate-all", "status"];

    /// <summary>Pacemaker's default action timeout when neither the op nor op_defaults set one.</summary>
    public static readonly Duration DefaultTimeout = Duration.FromSeconds(20);
}
