using System.Collections.Immutable;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// How a transition ended. <see cref="Completed"/>: every action ran and gave the expected result.
/// Otherwise <see cref="AbortReason"/> says why it stopped (the first failed action, or an abort from
/// outside), <see cref="Executed"/> holds what did run (in the order they finished, failures included)
/// and <see cref="NotRun"/> what never started; the caller records the results and schedules again.
/// </summary>
public sealed record TransitionResult(
    bool Completed,
    string? AbortReason,
    ImmutableArray<ExecutedAction> Executed,
    ImmutableArray<TransitionAction> NotRun)
{
    public IEnumerable<ExecutedAction> Failed => Executed.Where(e => !e.Succeeded);
}
