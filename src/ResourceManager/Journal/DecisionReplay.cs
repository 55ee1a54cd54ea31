using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Journal;

/// <summary>
/// Runs a recorded decision again: <see cref="Scheduler.Schedule"/> on the entry's configuration, status
/// and <c>now</c>, and compares the new graph with the recorded one. The scheduler is pure, so a
/// difference means the scheduler changed since the entry was written (or the entry's inputs do not
/// round-trip, which is a bug). Pure.
/// </summary>
public static class DecisionReplay
{
    /// <summary>At most this many differing lines are listed; the rest are counted.</summary>
    public const int MaxListedDifferences = 40;

    public static ReplayOutcome Run(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var graph = Scheduler.Schedule(entry.Config, entry.Status, entry.Now);
        return new ReplayOutcome(graph, Compare(entry.Graph, TransitionView.From(graph)));
    }

    /// <summary>
    /// The differences as lines: <c>- line</c> only in the recorded graph, <c>+ line</c> only in the
    /// replayed one (placement first, then actions with what they wait for); the same lines in another
    /// order are reported as such. Empty when the graphs are identical.
    /// </summary>
    internal static IReadOnlyList<string> Compare(TransitionView recorded, TransitionView replayed)
    {
        var before = recorded.Lines().ToList();
        var after = replayed.Lines().ToList();
        if (before.SequenceEqual(after, StringComparer.Ordinal))
        {
            return [];
        }

        var removed = Minus(before, after);
        var added = Minus(after, before);
        if (removed.Count == 0 && added.Count == 0)
        {
            return ["the same placement and actions, in a different order"];
        }

        var lines = removed.Select(l => "- " + l).Concat(added.Select(l => "+ " + l)).ToList();
        return lines.Count <= MaxListedDifferences
            ? lines
            : [.. lines.Take(MaxListedDifferences), $"... and {lines.Count - MaxListedDifferences} more"];
    }

    /// <summary>The lines of <paramref name="left"/> not matched one for one in <paramref name="right"/>, in order.</summary>
    private static List<string> Minus(List<string> left, List<string> right)
    {
        var remaining = right.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var line in left)
        {
            if (remaining.TryGetValue(line, out var n) && n > 0)
            {
                remaining[line] = n - 1;
            }
            else
            {
                result.Add(line);
            }
        }

        return result;
    }
}
