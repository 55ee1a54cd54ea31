using System.Diagnostics;
using System.Xml.Linq;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// Asks Pacemaker: writes the cluster's CIB, runs <c>crm_simulate -x cib.xml -R -G graph.xml</c>
/// (the transition is computed, not executed) and reads the start, stop, promote, demote and fence
/// actions of the transition graph. Probes, monitors, notifications and pseudo-actions are left out, and
/// so is a promote sent again to an instance that stays Promoted (docs/scheduler.md).
/// </summary>
internal static class PacemakerOracle
{
    public const string Tool = "/usr/sbin/crm_simulate";

    public static bool IsInstalled => File.Exists(Tool);

    public static Outcome Run(RandomCluster cluster, string directory)
    {
        Directory.CreateDirectory(directory);
        var cib = Path.Combine(directory, "cib.xml");
        var graph = Path.Combine(directory, "graph.xml");
        File.WriteAllText(cib, cluster.Xml);
        File.Delete(graph);
        var cached = CachedGraph(cluster.Xml);
        if (cached is not null && File.Exists(cached))
        {
            File.Copy(cached, graph);
            return Read(cluster, graph);
        }

        var start = new ProcessStartInfo(Tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-x", cib, "-R", "-Q", "-G", graph])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(graph))
        {
            return Outcome.Failed($"crm_simulate exited {process.ExitCode}: {stderr.Result.Trim()}");
        }

        if (cached is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
            File.Copy(graph, cached + ".tmp-" + Environment.ProcessId, overwrite: true);
            File.Move(cached + ".tmp-" + Environment.ProcessId, cached, overwrite: true);
        }

        return Read(cluster, graph);
    }

    /// <summary>
    /// Where Pacemaker's graph for this CIB is kept between runs when <c>CLUSTERD_DIFF_CACHE</c> names a
    /// directory (for repeated long runs while working on the scheduler; CI sets none): by the CIB's hash
    /// and the size and time of <c>crm_simulate</c>'s binary, so another Pacemaker never reads a stale answer.
    /// </summary>
    private static string? CachedGraph(string xml)
    {
        var root = Environment.GetEnvironmentVariable("CLUSTERD_DIFF_CACHE");
        if (string.IsNullOrEmpty(root))
        {
            return null;
        }

        var tool = new FileInfo(Tool);
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{tool.Length}/{tool.LastWriteTimeUtc.Ticks}\n{xml}")));
        return Path.Combine(root, key + ".xml");
    }

    private static Outcome Read(RandomCluster cluster, string graph)
    {
        var renumbered = new HashSet<string>(StringComparer.Ordinal);
        var document = XDocument.Load(graph);
        var actions = Actions(document, renumbered).ToList();

        // A promote of an instance that is Promoted and neither demoted nor stopped changes nothing:
        // Pacemaker sends it again when the promotion is ordered after an action of this transition.
        actions.RemoveAll(a => a.Op == "promote"
            && cluster.InitialRoles.GetValueOrDefault((a.Resource, a.Node)) == "Promoted"
            && !actions.Contains(("demote", a.Resource, a.Node)) && !actions.Contains(("stop", a.Resource, a.Node)));
        return Outcome.From(cluster, actions) with { Renumbered = [.. renumbered], KnockOn = [.. KnockOnRestarts(document, renumbered)] };
    }

    /// <summary>
    /// Restarts that exist only so that a renumbered instance can stop: a resource stopped and started
    /// on the same node whose stop the renumbered instance's stop waits for, directly or through other
    /// actions (a group ordered after the clone: "Restart g2a due to required m1 running"). Where ClusterD
    /// keeps the instance, nothing needs to restart (<see cref="Outcome.WithoutRenumbering"/>).
    /// </summary>
    private static IEnumerable<string> KnockOnRestarts(XDocument graph, ISet<string> renumbered)
    {
        if (renumbered.Count == 0)
        {
            return [];
        }

        var inputs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var keys = new Dictionary<string, (string Op, string Key)>(StringComparer.Ordinal);
        foreach (var synapse in graph.Descendants("synapse"))
        {
            var action = synapse.Element("action_set")?.Elements().FirstOrDefault();
            if (action is null || (string?)action.Attribute("id") is not { } id)
            {
                continue;
            }

            inputs[id] = [.. synapse.Descendants("trigger").Select(t => (string?)t.Elements().FirstOrDefault()?.Attribute("id")).OfType<string>()];
            if (action.Name == "rsc_op" && action.Element("primitive") is not null)
            {
                keys[id] = ((string?)action.Attribute("operation") ?? "", $"{PrimitiveOf(action).Primitive}@{(string?)action.Attribute("on_node")}");
            }
        }

        var seen = new HashSet<string>(keys.Where(k => k.Value.Op == "stop" && renumbered.Contains(k.Value.Key)).Select(k => k.Key), StringComparer.Ordinal);
        var work = new Queue<string>(seen);
        while (work.TryDequeue(out var id))
        {
            foreach (var input in inputs.GetValueOrDefault(id) ?? [])
            {
                if (seen.Add(input))
                {
                    work.Enqueue(input);
                }
            }
        }

        var started = keys.Values.Where(k => k.Op == "start").Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        return seen.Select(id => keys.GetValueOrDefault(id)).Where(k => k.Op == "stop" && !renumbered.Contains(k.Key) && started.Contains(k.Key)).Select(k => k.Key).Distinct();
    }

    /// <summary>
    /// The compared actions of a transition graph; a clone instance (<c>long-id="db:1"</c>) is named <c>db</c>. When
    /// one instance of a clone stops on a node and another instance starts there (Pacemaker renumbering
    /// instances: <c>Move db:1 (n2 -> n5)</c> with <c>Start db:3 (n2)</c>), <c>db@n2</c> is added to
    /// <paramref name="renumbered"/>: <see cref="Outcome.WithoutRenumbering"/> leaves the pair out where
    /// ClusterD keeps the instance running (docs/scheduler.md).
    /// </summary>
    public static IEnumerable<(string Op, string Resource, string Node)> Actions(XDocument graph, ISet<string> renumbered)
    {
        var ops = new List<(string Op, string Resource, string Instance, string Node)>();
        foreach (var action in graph.Descendants("action_set").Elements())
        {
            var op = (string?)action.Attribute("operation") ?? "";
            var node = (string?)action.Attribute("on_node") ?? "";
            if (action.Name == "crm_event" && op == "stonith")
            {
                ops.Add(("fence", "", "", node));
            }
            else if (action.Name == "rsc_op" && (Outcome.IsCompared(op) || IsPromotedMonitor(action)) && op != "fence")
            {
                var (primitive, instance) = PrimitiveOf(action);
                ops.Add((op, primitive, instance, node));
            }
        }

        // An instance restarted in the Promoted role (an order's "Restart ... due to required X start")
        // gets its Promoted monitor but no promote: Pacemaker promotes it in its next transition,
        // ClusterD in this one (docs/scheduler.md). The monitor tells the role it is meant to have.
        foreach (var monitor in ops.Where(o => o.Op == "monitor").ToList())
        {
            ops.Remove(monitor);
            if (ops.Contains(("start", monitor.Resource, monitor.Instance, monitor.Node)) && !ops.Contains(("promote", monitor.Resource, monitor.Instance, monitor.Node)))
            {
                ops.Add(("promote", monitor.Resource, monitor.Instance, monitor.Node));
            }
        }

        foreach (var group in ops.Where(o => o.Instance.Length > 0).GroupBy(o => (o.Resource, o.Node)).ToList())
        {
            var stops = group.Where(o => o.Op == "stop").Select(o => o.Instance).ToHashSet(StringComparer.Ordinal);
            var starts = group.Where(o => o.Op == "start").Select(o => o.Instance).ToHashSet(StringComparer.Ordinal);
            if (stops.Count > 0 && starts.Count > 0 && !stops.Overlaps(starts))
            {
                renumbered.Add($"{group.Key.Resource}@{group.Key.Node}");
            }
        }

        return ops.Select(o => (o.Op, o.Resource, o.Node));
    }

    /// <summary>The primitive an action of the graph runs and its clone instance (<c>long-id="db:1"</c>: <c>db</c>, <c>1</c>; empty outside a clone).</summary>
    private static (string Primitive, string Instance) PrimitiveOf(XElement action)
    {
        var primitive = action.Element("primitive");
        var id = (string?)primitive?.Attribute("long-id") ?? (string?)primitive?.Attribute("id") ?? "";
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (id, "") : (id[..colon], id[(colon + 1)..]);
    }

    private static bool IsPromotedMonitor(XElement action) =>
        (string?)action.Attribute("operation") == "monitor" && (string?)action.Element("attributes")?.Attribute("CRM_meta_role") == "Promoted";
}
