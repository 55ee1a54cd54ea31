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
    private readonly AgentCallRunner _runner = new(agents, localNode);

    public Task<ActionResult> RunAsync(TransitionAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Op != TransitionOp.Fence && action.Node != localNode)
        {
            return Task.FromResult(ActionResult.Error($"{action.Id} belongs to node {action.Node}, not to this node ({localNode})"));
        }

        if (AgentCall.For(config, action, out var error) is not { } call)
        {
            return Task.FromResult(ActionResult.Error(error!));
        }

        // A fence device is started, stopped and monitored by the fencer, which holds its credentials.
        return call.Agent.StartsWith("stonith:", StringComparison.Ordinal)
            ? Task.FromResult(ActionResult.Error($"{call.Resource} is a fence device ({call.Agent}): the fencer runs its actions"))
            : _runner.RunAsync(call with { Timeout = timeout }, cancellationToken);
    }
}
