using ClusterD.Agents;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// Runs an <see cref="AgentCall"/> on this node through the agents (native first, else the script, as
/// <see cref="AgentResolver"/> decides) and maps the agent's answer to an <see cref="ActionResult"/>:
/// its exit code, how the execution ended, its reason and the promotion score it reported.
/// </summary>
public sealed class AgentCallRunner(AgentResolver agents, string localNode)
{
    public string LocalNode { get; } = localNode;

    public async Task<ActionResult> RunAsync(AgentCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        AgentRequest request;
        IResourceAgent agent;
        try
        {
            request = call.ToRequest(LocalNode);
            agent = agents.Resolve(call.Agent, call.Meta);
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
}
