using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// What running one action returned: the agent's OCF exit code (0 for a fence that succeeded), how the
/// execution itself ended, why it failed, and the promotion score the agent reported (a monitor of a
/// promotable resource), if any.
/// </summary>
public readonly record struct ActionResult(int ExitCode, ActionExecStatus Status = ActionExecStatus.Done, string? Reason = null, Score? PromotionScore = null)
{
    public static ActionResult Ok { get; } = new(0);

    /// <summary>The action did not finish within its timeout (exit code 1, generic error, as Pacemaker records it).</summary>
    public static ActionResult TimedOut(string reason) => new(1, ActionExecStatus.Timeout, reason);

    /// <summary>The action could not be run at all (the node could not be reached, the runner failed).</summary>
    public static ActionResult Error(string reason) => new(1, ActionExecStatus.Error, reason);
}
