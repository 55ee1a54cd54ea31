using System.Collections.Immutable;
using System.Globalization;
using ClusterD.Agents;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// Runs a transition's resource actions on this node through the agents (native first, else the
/// script, as <see cref="AgentResolver"/> decides), with what Pacemaker's executor hands an agent: the
/// primitive's parameters, its effective meta attributes as <c>CRM_meta_*</c> (dashes become
/// underscores), the clone settings of a cloned primitive, the op's interval, timeout and
/// <c>OCF_CHECK_LEVEL</c>, and this node's name. Actions for other nodes, fencing and the actions of
/// fence devices are not its job and come back as execution errors.
/// </summary>
/// <param name="config">The configuration the transition was planned from.</param>
public sealed class AgentActionRunner(AgentResolver agents, ClusterConfig config, string localNode) : IActionRunner
{
    private readonly ConfigIndex _index = new(config);

    public async Task<ActionResult> RunAsync(TransitionAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Op == TransitionOp.Fence)
        {
            return ActionResult.Error("fencing is not run by the agent runner");
        }

        if (action.Node != localNode)
        {
            return ActionResult.Error($"{action.Id} belongs to node {action.Node}, not to this node ({localNode})");
        }

        if (_index.FindResource(action.Resource) is not Primitive primitive)
        {
            return ActionResult.Error($"{action.Resource} is not a primitive of the configuration");
        }

        if (primitive.Agent.IsStonith)
        {
            // A fence device is started, stopped and monitored by the fencer, which holds its credentials.
            return ActionResult.Error($"{primitive.Id} is a fence device ({primitive.Agent}): the fencer runs its actions");
        }

        var meta = _index.EffectiveMeta(primitive.Id);
        AgentRequest request;
        IResourceAgent agent;
        try
        {
            request = new AgentRequest(ToAgentAction(action.Op), primitive.Id)
            {
                Parameters = primitive.Params.ToImmutableDictionary(StringComparer.Ordinal),
                Meta = AgentMeta(primitive.Id, meta),
                Timeout = timeout,
                Interval = action.Interval.ToTimeSpan(),
                CheckLevel = CheckLevel(primitive.FindOperation(action.OpName, action.Interval)),
                NodeName = localNode,
            };
            agent = agents.Resolve(primitive.Agent.ToString(), meta);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // rc 6: nothing about this resource's configuration can run here.
            return new ActionResult((int)OcfExitCode.NotConfigured, Reason: e.Message);
        }

        var result = await agent.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        return new ActionResult(
            (int)result.ExitCode,
            result.Status switch
            {
                AgentExecutionStatus.TimedOut => ActionExecStatus.Timeout,
                AgentExecutionStatus.Cancelled => ActionExecStatus.Cancelled,

                // Not run (agent missing): its exit code (5 not installed, ...) is the answer, as Pacemaker records it.
                _ => ActionExecStatus.Done,
            },
            result.ExitReason,
            result.Extras.TryGetValue(AgentResultExtras.PromotionScore, out var score) && Score.TryParse(score, out var parsed) ? parsed : null);
    }

    private ImmutableDictionary<string, string> AgentMeta(string primitive, AttributeMap meta)
    {
        var result = meta.ToImmutableDictionary(p => p.Key.Replace('-', '_'), p => p.Value, StringComparer.Ordinal);
        if (_index.CloneOf(primitive) is { } clone)
        {
            result = result
                .SetItem("clone_max", (clone.CloneMax ?? config.Nodes.Count).ToString(CultureInfo.InvariantCulture))
                .SetItem("clone_node_max", clone.CloneNodeMax.ToString(CultureInfo.InvariantCulture))
                .SetItem("globally_unique", clone.GloballyUnique ? "true" : "false")
                .SetItem("notify", clone.Notify ? "true" : "false");
            if (clone.Promotable)
            {
                result = result
                    .SetItem("promotable", "true")
                    .SetItem("promoted_max", clone.PromotedMax.ToString(CultureInfo.InvariantCulture))
                    .SetItem("promoted_node_max", clone.PromotedNodeMax.ToString(CultureInfo.InvariantCulture));
            }
        }

        return result;
    }

    private static int CheckLevel(Operation? op) =>
        op?.Attributes.Get("OCF_CHECK_LEVEL") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : 0;

    private static AgentAction ToAgentAction(TransitionOp op) => op switch
    {
        TransitionOp.Start => AgentAction.Start,
        TransitionOp.Stop => AgentAction.Stop,
        TransitionOp.Promote => AgentAction.Promote,
        TransitionOp.Demote => AgentAction.Demote,
        _ => AgentAction.Monitor,
    };
}
