using System.Globalization;

namespace ClusterD.FailoverHarness;

/// <summary>Nearest-rank percentiles of a sample, and the one-line summaries the modes print.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyCollection<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>"label  n  p50  p90  p99  max" in milliseconds with <paramref name="decimals"/> places; "-" for an empty sample.</summary>
    public static string Row(string label, IReadOnlyCollection<double> values, int decimals, bool withP99 = true)
    {
        if (values.Count == 0)
        {
            return $"| {label} | 0 | - | - |{(withP99 ? " - |" : "")} - |";
        }

        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        string Ms(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return $"| {label} | {values.Count} | {Ms(Of(values, 50))} | {Ms(Of(values, 90))} |{(withP99 ? $" {Ms(Of(values, 99))} |" : "")} {Ms(values.Max())} |";
    }
}
