using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Journal;

/// <summary>A replayed decision: the graph the scheduler gives now, and how it differs from the recorded one.</summary>
public sealed record ReplayOutcome(TransitionGraph Graph, IReadOnlyList<string> Differences)
{
    public bool Identical => Differences.Count == 0;
}
