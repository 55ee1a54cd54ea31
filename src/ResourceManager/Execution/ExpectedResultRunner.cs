using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// Runs nothing: answers every action with the result its transition expects (0; 8 for a monitor of
/// the promoted role), which is what <c>crm_simulate --simulate</c> assumes. For offline simulation only.
/// </summary>
public sealed class ExpectedResultRunner : IActionRunner
{
    public static ExpectedResultRunner Instance { get; } = new();

    public Task<ActionResult> RunAsync(TransitionAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Task.FromResult(new ActionResult(action.Op == TransitionOp.Monitor && action.Role == ResourceRole.Promoted ? 8 : 0));
    }
}
