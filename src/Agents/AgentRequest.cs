using System.Collections.Immutable;

namespace ClusterD.Agents;

/// <summary>
/// One action for one resource instance: what Pacemaker's executor hands an agent.
/// </summary>
/// <param name="Action">The OCF action.</param>
/// <param name="ResourceInstance">
/// The resource (instance) id, <c>OCF_RESOURCE_INSTANCE</c>: e.g. <c>p_db</c>, or <c>p_drbd:0</c>
/// for a numbered clone instance. Agents use it in state-file names, so it must not contain
/// <c>/</c>, whitespace or control characters.
/// </param>
public sealed record AgentRequest(AgentAction Action, string ResourceInstance)
{
    /// <summary>Pacemaker's default operation timeout (<c>include/crm/common/actions.h</c>): 20 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Instance attributes, without prefix: <c>port</c> becomes <c>OCF_RESKEY_port</c>.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Meta attributes, without prefix: <c>clone_max</c> becomes <c>OCF_RESKEY_CRM_meta_clone_max</c>.
    /// Clone and notify settings go here (<c>clone</c>, <c>clone_max</c>, <c>clone_node_max</c>,
    /// <c>promoted_max</c>, <c>promoted_node_max</c>, <c>globally_unique</c>, <c>notify</c>, ...).
    /// <c>timeout</c> and <c>interval</c> are always taken from <see cref="Timeout"/> and
    /// <see cref="Interval"/>; <c>clusterd-native</c> is read by <c>AgentResolver</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// How long the action may take before it is killed (the whole process group, for scripts).
    /// Passed to the agent as <c>OCF_RESKEY_CRM_meta_timeout</c> in milliseconds.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// The recurring interval of a monitor (<c>OCF_RESKEY_CRM_meta_interval</c>, ms); zero for a
    /// one-shot action or a probe.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.Zero;

    /// <summary>The monitor depth, <c>OCF_CHECK_LEVEL</c>: 0 (default), 10, 20 by convention.</summary>
    public int CheckLevel { get; init; }

    /// <summary>For <see cref="AgentAction.Notify"/>: what is being announced. Null otherwise.</summary>
    public AgentNotification? Notification { get; init; }

    /// <summary>The local node name (<c>OCF_RESKEY_CRM_meta_on_node</c>), when known.</summary>
    public string? NodeName { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when the request cannot be handed to any agent.</summary>
    public void Validate()
    {
        if (!IsSafeInstanceName(ResourceInstance))
        {
            throw new ArgumentException(
                $"resource instance '{ResourceInstance}' must be non-empty, without '/', whitespace or control characters",
                nameof(ResourceInstance));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"timeout must be positive, not {Timeout}", nameof(Timeout));
        }

        if (Interval < TimeSpan.Zero)
        {
            throw new ArgumentException($"interval must not be negative, not {Interval}", nameof(Interval));
        }

        if (Action == AgentAction.Notify && Notification is null)
        {
            throw new ArgumentException("a notify action needs a Notification", nameof(Notification));
        }

        foreach (var key in Parameters.Keys.Concat(Meta.Keys))
        {
            if (!IsSafeAttributeName(key))
            {
                throw new ArgumentException($"attribute name '{key}' must be letters, digits, '_', '-' or '.'", nameof(Parameters));
            }
        }
    }

    /// <summary>Attribute names become environment variable names, so they stay within a portable alphabet.</summary>
    public static bool IsSafeAttributeName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static bool IsSafeInstanceName(string name) =>
        !string.IsNullOrEmpty(name) && name != "." && name != ".."
        && !name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c));
}
