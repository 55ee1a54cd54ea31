using System.Globalization;
using System.Text;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// Pacemaker's and ClusterD's outcome for one seed, whether they agree on the placement and on the
/// actions, and a class for a disagreement (which ops on which kind of resource only one of them
/// has), so the frequent ones can be told from the rare ones.
/// </summary>
internal sealed record Comparison(int Seed, Outcome Pacemaker, Outcome ClusterD)
{
    public static Comparison Run(int seed, string workRoot)
    {
        var cluster = RandomCluster.Generate(seed);
        var directory = Path.Combine(workRoot, "seed-" + seed.ToString(CultureInfo.InvariantCulture));
        var pacemaker = PacemakerOracle.Run(cluster, directory);
        var comparison = Of(seed, pacemaker, ClusterDSide.Run(cluster));
        if (comparison.Agrees)
        {
            Directory.Delete(directory, recursive: true);
            return comparison;
        }

        return comparison with
        {
            PacemakerBreaks = comparison.Pacemaker.Error is null ? MandatoryColocations.BrokenBy(cluster, comparison.Pacemaker.Placement) : [],
            ClusterDBreaks = comparison.ClusterD.Error is null ? MandatoryColocations.BrokenBy(cluster, comparison.ClusterD.Placement) : [],
        };
    }

    /// <summary>The comparison, with Pacemaker's renumbering of clone instances left out where ClusterD keeps them.</summary>
    public static Comparison Of(int seed, Outcome pacemaker, Outcome clusterD) => new(seed, pacemaker.WithoutRenumbering(clusterD), clusterD);

    /// <summary>The mandatory colocations Pacemaker's placement breaks (worked out for disagreements only).</summary>
    public IReadOnlyList<string> PacemakerBreaks { get; init; } = [];

    /// <summary>The mandatory colocations ClusterD's placement breaks (worked out for disagreements only).</summary>
    public IReadOnlyList<string> ClusterDBreaks { get; init; } = [];

    public bool PlacementAgrees => Pacemaker.Error is null && ClusterD.Error is null && Pacemaker.Placement.SetEquals(ClusterD.Placement);

    public bool ActionsAgree => Pacemaker.Error is null && ClusterD.Error is null && Pacemaker.Actions.SetEquals(ClusterD.Actions);

    public bool Agrees => PlacementAgrees && ActionsAgree;

    /// <summary>For example <c>pacemaker-only: start clone | clusterd-only: stop primitive</c>.</summary>
    public string Class
    {
        get
        {
            if (Pacemaker.Error is not null || ClusterD.Error is not null)
            {
                return Pacemaker.Error is not null ? "crm_simulate failed" : "ClusterD refused the CIB";
            }

            static string Kinds(IEnumerable<string> actions) => string.Join(", ", actions.Select(KindOf).Distinct().Order(StringComparer.Ordinal));
            var onlyPacemaker = Kinds(Pacemaker.Actions.Except(ClusterD.Actions));
            var onlyClusterD = Kinds(ClusterD.Actions.Except(Pacemaker.Actions));
            return $"pacemaker-only: {(onlyPacemaker.Length == 0 ? "-" : onlyPacemaker)} | clusterd-only: {(onlyClusterD.Length == 0 ? "-" : onlyClusterD)}";
        }
    }

    /// <summary>The differences, with the command that replays this seed.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}: placement {(PlacementAgrees ? "agrees" : "differs")}, actions {(ActionsAgree ? "agree" : "differ")} ({Class})\n");
        text.Append(CultureInfo.InvariantCulture, $"  replay: {DifferentialRun.ReplayCommand(Seed)}\n");
        foreach (var error in new[] { Pacemaker.Error, ClusterD.Error }.OfType<string>())
        {
            text.Append(CultureInfo.InvariantCulture, $"  error: {error}\n");
        }

        foreach (var (who, broken) in new[] { ("Pacemaker", PacemakerBreaks), ("ClusterD", ClusterDBreaks) })
        {
            foreach (var colocation in broken)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {who}'s placement breaks {colocation}\n");
            }
        }

        Lines(text, "action", Pacemaker.Actions, ClusterD.Actions);
        Lines(text, "placement", Pacemaker.Placement, ClusterD.Placement);
        return text.ToString();
    }

    private static void Lines(StringBuilder text, string what, IReadOnlySet<string> pacemaker, IReadOnlySet<string> clusterD)
    {
        foreach (var line in pacemaker.Except(clusterD))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {what} only in Pacemaker: {line}\n");
        }

        foreach (var line in clusterD.Except(pacemaker))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {what} only in ClusterD:  {line}\n");
        }
    }

    // Generated ids tell the kind: r1 primitive, g1a group member, c1p clone, m1p promotable clone.
    private static string KindOf(string action)
    {
        var space = action.IndexOf(' ', StringComparison.Ordinal);
        var op = action[..space];
        var resource = action[(space + 1)..action.IndexOf('@', StringComparison.Ordinal)];
        var kind = resource switch
        {
            "" => "node",
            "fencing" => "fence device",
            _ when resource[0] == 'g' => "group member",
            _ when resource[0] == 'c' => "clone",
            _ when resource[0] == 'm' => "promotable",
            _ => "primitive",
        };
        return $"{op} {kind}";
    }
}
