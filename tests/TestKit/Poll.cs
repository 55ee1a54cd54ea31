using System.Diagnostics;

namespace ClusterD.TestKit;

/// <summary>
/// Waits for a condition that nothing announces (a state file, a value another thread sets), checking it
/// again at a short interval until a deadline. Tests assert on the result, so a condition never met fails
/// the test rather than hanging it.
/// </summary>
public static class Poll
{
    /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="limit"/> passed first.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan limit, TimeSpan every, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(every, cancellationToken);
        }

        return true;
    }
}
