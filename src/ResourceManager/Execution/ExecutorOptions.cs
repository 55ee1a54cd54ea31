using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>Limits and hooks of a <see cref="TransitionExecutor"/>.</summary>
public sealed record ExecutorOptions
{
    /// <summary>Most actions running at once (Pacemaker's <c>batch-limit</c>); 0 or less: as many as the graph allows.</summary>
    public int MaxParallel { get; init; }

    /// <summary>How long past an action's timeout the executor waits for a runner that does not return before it records a timeout.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Called as each action starts (for the event stream).</summary>
    public Action<TransitionAction>? Started { get; init; }

    /// <summary>Called as each action finishes, with its result.</summary>
    public Action<ExecutedAction>? Finished { get; init; }
}
