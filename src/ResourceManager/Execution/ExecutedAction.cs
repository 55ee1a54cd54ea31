using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>One action the executor ran: its result, whether that is the result the transition expected, when it started and how long it took.</summary>
public sealed record ExecutedAction(TransitionAction Action, ActionResult Result, bool Succeeded, DateTimeOffset Started, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Action.Id}: rc {Result.ExitCode}{(Result.Status == ActionExecStatus.Done ? "" : $" ({Result.Status})")}{(Succeeded ? "" : " FAILED")}";
}
