using System.Collections.Immutable;
using System.Globalization;
using ClusterD.Agents;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// Everything a node needs to run one resource action, taken from the configuration by the node that
/// planned it: the agent, the primitive's parameters, its effective meta attributes (with the clone
/// settings of a cloned primitive, in the configuration's dashed spelling), the op's timeout, interval
/// and <c>OCF_CHECK_LEVEL</c>. Self-contained, so the node that runs it needs no configuration of its
/// own and runs exactly what the DC decided, whatever version it holds.
/// </summary>
public sealed record AgentCall(
    string Resource,
    string Agent,
    AgentAction Action,
    ImmutableSortedDictionary<string, string> Parameters,
    ImmutableSortedDictionary<string, string> Meta,
    TimeSpan Timeout,
    TimeSpan Interval = default,
    int CheckLevel = 0)
{
    /// <summary>For a notify: what the instance is told (the scheduler's <see cref="TransitionAction.Notification"/>).</summary>
    public AgentNotification? Notification { get; init; }

    /// <summary>
    /// The call for <paramref name="action"/> under <paramref name="config"/>; null with <paramref name="error"/>
    /// when the action is a fence or names no primitive. A fence device's start, stop and monitor are calls
    /// too (its <see cref="Agent"/> is <c>stonith:TYPE</c>): the node's fencer performs them.
    /// </summary>
    public static AgentCall? For(ClusterConfig config, TransitionAction action, out string? error)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(action);
        error = null;
        if (action.Op == TransitionOp.Fence)
        {
            error = "fencing is not run by the agent runner";
            return null;
        }

        var index = ConfigIndex.Of(config);
        if (index.FindResource(action.Resource) is not Primitive primitive)
        {
            error = $"{action.Resource} is not a primitive of the configuration";
            return null;
        }

        return new AgentCall(
            primitive.Id,
            primitive.Agent.ToString(),
            ToAgentAction(action.Op),
            primitive.Params.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            EffectiveMeta(index, config, primitive.Id),
            ActionExpectations.Timeout(action, config),
            action.Interval.ToTimeSpan(),
            CheckLevelOf(primitive.FindOperation(action.OpName, action.Interval)))
        {
            Notification = action.Notification,
        };
    }

    /// <summary>The agent request for this call on <paramref name="localNode"/> (meta keys as <c>CRM_meta_*</c> spell them).</summary>
    public AgentRequest ToRequest(string localNode) => new(Action, Resource)
    {
        Parameters = Parameters,
        Meta = Meta.ToImmutableDictionary(p => p.Key.Replace('-', '_'), p => p.Value, StringComparer.Ordinal),
        Timeout = Timeout,
        Interval = Interval,
        CheckLevel = CheckLevel,
        NodeName = localNode,
        Notification = Notification,
    };

    private static ImmutableSortedDictionary<string, string> EffectiveMeta(ConfigIndex index, ClusterConfig config, string primitive)
    {
        var meta = index.EffectiveMeta(primitive).ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (index.CloneOf(primitive) is not { } clone)
        {
            return meta;
        }

        meta = meta
            .SetItem("clone-max", (clone.CloneMax ?? config.Nodes.Count).ToString(CultureInfo.InvariantCulture))
            .SetItem("clone-node-max", clone.CloneNodeMax.ToString(CultureInfo.InvariantCulture))
            .SetItem("globally-unique", clone.GloballyUnique ? "true" : "false")
            .SetItem("notify", clone.Notify ? "true" : "false");
        return !clone.Promotable ? meta : meta
            .SetItem("promotable", "true")
            .SetItem("promoted-max", clone.PromotedMax.ToString(CultureInfo.InvariantCulture))
            .SetItem("promoted-node-max", clone.PromotedNodeMax.ToString(CultureInfo.InvariantCulture));
    }

    private static int CheckLevelOf(Operation? op) =>
        op?.Attributes.Get("OCF_CHECK_LEVEL") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : 0;

    private static AgentAction ToAgentAction(TransitionOp op) => op switch
    {
        TransitionOp.Start => AgentAction.Start,
        TransitionOp.Stop => AgentAction.Stop,
        TransitionOp.Promote => AgentAction.Promote,
        TransitionOp.Demote => AgentAction.Demote,
        TransitionOp.Notify => AgentAction.Notify,
        _ => AgentAction.Monitor,
    };
}
