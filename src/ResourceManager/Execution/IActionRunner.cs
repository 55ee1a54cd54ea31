using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// Runs one action of a transition where it belongs: an agent action on <see cref="TransitionAction.Node"/>
/// (locally or through that node's daemon), or fencing of that node. Implementations enforce
/// <c>timeout</c> themselves (an agent is killed when it runs over) and report failures as results;
/// the executor still guards against one that never returns. The executor calls them one after another
/// as actions become ready, so they return as soon as the work is under way.
/// </summary>
public interface IActionRunner
{
    Task<ActionResult> RunAsync(TransitionAction action, TimeSpan timeout, CancellationToken cancellationToken);
}
