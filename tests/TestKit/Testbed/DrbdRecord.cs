using System.Globalization;

namespace ClusterD.TestKit.Testbed;

/// <summary>
/// The DRBD stand-in's record of one testbed run (<c>drbd/events</c>: "SECONDS NODE RES what" per line):
/// promotions, demotions, power-offs and refused state changes, in order.
/// </summary>
public sealed record DrbdRecord(IReadOnlyList<DrbdRecord.Entry> Entries)
{
    public sealed record Entry(DateTimeOffset Time, string Node, string What);

    /// <summary>The most nodes that were Primary at the same time.</summary>
    public int MaxPrimaries
    {
        get
        {
            var primaries = new HashSet<string>(StringComparer.Ordinal);
            var max = 0;
            foreach (var entry in Entries)
            {
                if (entry.What == "primary")
                {
                    primaries.Add(entry.Node);
                }
                else if (EndsPrimary(entry.What))
                {
                    primaries.Remove(entry.Node);
                }

                max = Math.Max(max, primaries.Count);
            }

            return max;
        }
    }

    /// <summary>State changes the stand-in refused: the cluster asked for something DRBD forbids.</summary>
    public IEnumerable<Entry> Refusals => Entries.Where(e => e.What.StartsWith("refused-", StringComparison.Ordinal));

    /// <summary>
    /// Whether <paramref name="node"/> was Primary at some moment between <paramref name="from"/> and <paramref name="to"/>:
    /// a write it acknowledged in that span came from a node entitled to write.
    /// </summary>
    public bool WasPrimary(string node, DateTimeOffset from, DateTimeOffset to)
    {
        var primary = false;
        foreach (var entry in Entries.Where(e => e.Node == node))
        {
            if (entry.Time > to)
            {
                break;
            }

            var was = primary;
            primary = entry.What == "primary" || (primary && !EndsPrimary(entry.What));
            if (entry.Time >= from && (was || primary))
            {
                return true;
            }
        }

        return primary;
    }

    /// <summary>Promotions, in order.</summary>
    public IEnumerable<Entry> Promotions => Entries.Where(e => e.What == "primary");

    /// <summary>A change after which the node is no longer Primary.</summary>
    private static bool EndsPrimary(string what) => what is "secondary" or "down" or "power-off";

    public static DrbdRecord Read(string path)
    {
        var entries = new List<Entry>();
        if (!File.Exists(path))
        {
            return new DrbdRecord(entries);
        }

        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(' ', 4);
            if (fields.Length == 4 && decimal.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                entries.Add(new Entry(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)), fields[1], fields[3]));
            }
        }

        return new DrbdRecord(entries);
    }

    public override string ToString() =>
        string.Join('\n', Entries.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Node} {e.What}"));
}
