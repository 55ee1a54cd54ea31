using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// Compares Pacemaker and ClusterD on a range of seeds (two at a time: the machines running this
/// have few cores) and summarises: the agreement rates on placement and on actions, the
/// disagreement classes by frequency, and every disagreement with its replay command. The CIBs of
/// the disagreeing seeds stay under the work directory.
/// </summary>
internal sealed class DifferentialRun
{
    private DifferentialRun(IReadOnlyList<Comparison> comparisons, string workRoot)
    {
        Comparisons = comparisons;
        WorkRoot = workRoot;
    }

    public IReadOnlyList<Comparison> Comparisons { get; }

    public string WorkRoot { get; }

    public double PlacementRate => Rate(c => c.PlacementAgrees);

    public double ActionsRate => Rate(c => c.ActionsAgree);

    public IEnumerable<Comparison> Disagreements => Comparisons.Where(c => !c.Agrees);

    public static DifferentialRun Execute(int first, int count, CancellationToken cancellationToken)
    {
        var workRoot = WorkDirectory();
        var results = new ConcurrentBag<Comparison>();
        Parallel.For(
            first,
            first + count,
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            seed => results.Add(Comparison.Run(seed, workRoot)));
        return new DifferentialRun([.. results.OrderBy(c => c.Seed)], workRoot);
    }

    /// <summary>
    /// Where each seed's CIB and graph are written: <c>CLUSTERD_DIFF_WORK</c> when set (two runs at once
    /// must not share one, since a seed's directory is deleted when it agrees), else the temporary folder's
    /// <c>clusterd-differential</c>.
    /// </summary>
    public static string WorkDirectory() =>
        Environment.GetEnvironmentVariable("CLUSTERD_DIFF_WORK") is { Length: > 0 } work ? work : Path.Combine(Path.GetTempPath(), "clusterd-differential");

    public static string ReplayCommand(int seed) =>
        $"CLUSTERD_DIFF_SEED={seed} dotnet test tests/ResourceManager.Tests --filter FullyQualifiedName~DifferentialTests.Replay --logger 'console;verbosity=detailed'";

    public string Summary(bool details)
    {
        var text = new StringBuilder();
        var n = Comparisons.Count;
        text.Append(CultureInfo.InvariantCulture, $"seeds {Comparisons[0].Seed}..{Comparisons[^1].Seed} ({n} clusters)\n");
        text.Append(CultureInfo.InvariantCulture, $"placement agrees: {Comparisons.Count(c => c.PlacementAgrees)}/{n} = {PlacementRate:P1}\n");
        text.Append(CultureInfo.InvariantCulture, $"actions agree:   {Comparisons.Count(c => c.ActionsAgree)}/{n} = {ActionsRate:P1}\n");
        text.Append(CultureInfo.InvariantCulture, $"both agree:      {Comparisons.Count(c => c.Agrees)}/{n}\n");
        text.Append("disagreement classes:\n");
        foreach (var group in Disagreements.GroupBy(c => c.Class).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {group.Count(),4}  {group.Key}  (seeds {string.Join(" ", group.Take(8).Select(c => c.Seed))})\n");
        }

        // Deliberate differences show here: ClusterD keeps a mandatory colocation that Pacemaker's placement breaks.
        var kept = Disagreements.Where(c => c.PacemakerBreaks.Except(c.ClusterDBreaks).Any()).Select(c => c.Seed).ToList();
        text.Append(CultureInfo.InvariantCulture, $"disagreements where Pacemaker's placement breaks a mandatory colocation ClusterD's keeps: {kept.Count}{(kept.Count == 0 ? "" : $" (seeds {string.Join(" ", kept)})")}\n");
        var lost = Disagreements.Where(c => c.ClusterDBreaks.Except(c.PacemakerBreaks).Any()).Select(c => c.Seed).ToList();
        text.Append(CultureInfo.InvariantCulture, $"disagreements where ClusterD's placement breaks a mandatory colocation Pacemaker's keeps: {lost.Count}{(lost.Count == 0 ? "" : $" (seeds {string.Join(" ", lost)})")}\n");

        if (details)
        {
            text.Append(CultureInfo.InvariantCulture, $"CIBs of the disagreements: {WorkRoot}/seed-N/cib.xml\n");
            foreach (var comparison in Disagreements)
            {
                text.Append(comparison.Describe());
            }
        }

        return text.ToString();
    }

    private double Rate(Func<Comparison, bool> agrees) => Comparisons.Count == 0 ? 1 : (double)Comparisons.Count(agrees) / Comparisons.Count;
}
