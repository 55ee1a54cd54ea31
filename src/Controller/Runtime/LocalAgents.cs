using ClusterD.ResourceManager.Execution;

namespace ClusterD.Controller.Runtime;

/// <summary>
/// Agent calls on this node: resource agents through the resolver (native first, else the script);
/// a fence device's start and stop register and unregister it with this node's fencer, which needs
/// nothing more (the device runs only when a fence is asked for), so they succeed at once.
/// </summary>
public sealed class LocalAgents(AgentCallRunner runner) : IControllerAgents
{
    public Task<ActionResult> RunAsync(AgentCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Agent.StartsWith("stonith:", StringComparison.Ordinal))
        {
            return Task.FromResult(call.Action == Agents.AgentAction.Monitor && call.Interval == TimeSpan.Zero
                ? new ActionResult(7) // a probe: a fence device is not "running" anywhere until the cluster starts it
                : ActionResult.Ok);
        }

        return runner.RunAsync(call, cancellationToken);
    }
}
