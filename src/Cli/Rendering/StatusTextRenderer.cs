using System.Globalization;
using System.Text;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// The human view of <c>clusterctl status</c>, laid out like <c>crm_mon -1</c>: warnings first and loud,
/// then summary, node list, ClusterD's per-link heartbeat table and datagram counters, resources, and
/// the failure and fencing sections. Pure: the same view always gives the same text.
/// </summary>
internal static partial class StatusTextRenderer
{
    private static readonly string[] LinkHeader = ["NODE", "LINK", "ADDRESS", "STATUS", "LAST SEEN", "RTT", "RECEIVED", "LOST"];

    /// <param name="lastUpdated">Printed as crm_mon's "Last updated" line (used by <c>--watch</c>); omitted when null.</param>
    public static string Render(StatusView view, DateTimeOffset? lastUpdated = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var s = new StringBuilder();
        AppendWarnings(s, view);
        AppendSummary(s, view, lastUpdated);
        AppendNodes(s, view);
        AppendLinks(s, view);
        AppendDatagrams(s, view.Datagrams);
        AppendResources(s, view);
        AppendPendingActions(s, view);
        AppendFailedActions(s, view);
        AppendFailcounts(s, view);
        AppendFencing(s, view);
        AppendPlatform(s, view);
        return s.ToString();
    }

    private static void AppendSummary(StringBuilder s, StatusView view, DateTimeOffset? lastUpdated)
    {
        var q = view.Quorum;
        var partition = view.Quorate ? "partition with quorum" : "partition WITHOUT quorum";
        var ring = view.RingId.Length == 0 ? "none yet" : $"{view.RingId} (seq {view.RingSeq})";
        var flags = new List<string>();
        if (q.TwoNode)
        {
            flags.Add("two_node");
        }

        if (q.WaitForAll)
        {
            flags.Add(q.WaitForAllSatisfied ? "wait_for_all" : "wait_for_all: still waiting for all nodes");
        }

        var instances = view.Resources.Sum(r => r.Instances.Count);
        s.AppendLine("Cluster Summary:");
        Line(s, $"  * Cluster name: {view.Cluster}");
        Line(s, $"  * Current DC: {view.Dc ?? "NONE"} - {partition}");
        if (view.MaintenanceMode)
        {
            Line(s, "  * Maintenance mode: ON (nothing is started, stopped or monitored)");
        }

        Line(s, $"  * Local node: {Or(view.LocalNode, "unknown")}");
        Line(s, $"  * Ring id: {ring}");
        Line(s, $"  * Quorum: {q.TotalVotes} of {q.ExpectedVotes} expected votes, {q.Quorum} needed"
            + (flags.Count == 0 ? "" : $" ({string.Join(", ", flags)})"));
        if (lastUpdated is { } at)
        {
            Line(s, $"  * Last updated: {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}");
        }

        Line(s, $"  * {view.Nodes.Count} {Plural(view.Nodes.Count, "node")} configured");
        Line(s, $"  * {instances} resource {Plural(instances, "instance")} configured");
        s.AppendLine();
    }

    private static void AppendNodes(StringBuilder s, StatusView view)
    {
        // crm_mon lists active nodes as "Online", standby and unclean nodes on their own lines,
        // and cleanly absent nodes as "OFFLINE".
        var online = view.Nodes.Where(n => n.Online && !n.Standby && !n.ShownUnclean).Select(n => n.Name).ToList();
        var offline = view.Nodes.Where(n => !n.Online && !n.ShownUnclean).Select(n => n.Name).ToList();
        s.AppendLine("Node List:");
        foreach (var node in view.Nodes.Where(n => n.ShownUnclean))
        {
            Line(s, $"  * Node {node.Name}: UNCLEAN ({(node.Online ? "online" : "offline")})");
        }

        foreach (var node in view.Nodes.Where(n => n.Online && n.Standby && !n.ShownUnclean))
        {
            Line(s, $"  * Node {node.Name}: standby");
        }

        if (online.Count > 0)
        {
            Line(s, $"  * Online: [ {string.Join(' ', online)} ]");
        }

        if (offline.Count > 0)
        {
            Line(s, $"  * OFFLINE: [ {string.Join(' ', offline)} ]");
        }

        if (view.Nodes.Count == 0)
        {
            s.AppendLine("  * No nodes");
        }

        s.AppendLine();
    }

    private static void AppendLinks(StringBuilder s, StatusView view)
    {
        var rows = view.Nodes
            .Where(n => !n.Local)
            .SelectMany(n => n.Links.Select(l => new[]
            {
                n.Name,
                l.Link.ToString(CultureInfo.InvariantCulture),
                Or(l.Address, "-"),
                l.Up ? "up" : "down",
                l.LastSeenMsAgo is { } ago ? $"{ago.ToString(CultureInfo.InvariantCulture)} ms ago" : "never",
                l.RttMs is { } rtt ? $"{rtt.ToString("0.###", CultureInfo.InvariantCulture)} ms" : "-",
                l.Received.ToString(CultureInfo.InvariantCulture),
                l.Lost.ToString(CultureInfo.InvariantCulture),
            }))
            .ToList();
        s.AppendLine("Heartbeat Links:");
        if (rows.Count == 0)
        {
            s.AppendLine("  * No peer links");
        }
        else
        {
            AppendTable(s, LinkHeader, rows);
        }

        s.AppendLine();
    }

    private static void AppendDatagrams(StringBuilder s, DatagramView datagrams)
    {
        Line(s, $"Heartbeat Datagrams: {datagrams.Accepted} accepted, {datagrams.Dropped} dropped");
        foreach (var (reason, count) in datagrams.DroppedByReason)
        {
            Line(s, $"  * dropped ({reason}): {count}");
        }

        s.AppendLine();
    }

    private static void AppendTable(StringBuilder s, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        AppendRow(s, header, widths);
        foreach (var row in rows)
        {
            AppendRow(s, row, widths);
        }
    }

    private static void AppendRow(StringBuilder s, string[] cells, int[] widths)
    {
        s.Append("  ");
        for (var i = 0; i < cells.Length; i++)
        {
            s.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        s.AppendLine();
    }

    private static string Or(string value, string fallback) => value.Length == 0 ? fallback : value;

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";

    /// <summary>The project builds with invariant globalization, so interpolation is culture-neutral.</summary>
    private static void Line(StringBuilder s, string line) => s.AppendLine(line);
}
