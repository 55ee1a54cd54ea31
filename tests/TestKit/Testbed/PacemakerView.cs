using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ClusterD.Admin.V1;

namespace ClusterD.TestKit.Testbed;

/// <summary>
/// Pacemaker's side of the testbed seen through clusterd's status shape, so one notion of "settled" serves
/// both stacks: <c>crm_mon --output-as=xml</c> (nodes, quorum, DC, every resource instance and its role)
/// and the DC's controller state from <c>crmadmin -S</c> (anything but S_IDLE counts as work pending).
/// </summary>
public static class PacemakerView
{
    public static ClusterStatusReply FromCrmMon(string crmMonXml, string? dcState)
    {
        var root = XDocument.Parse(crmMonXml).Root ?? throw new FormatException("crm_mon printed no XML");
        var dc = root.Element("summary")?.Element("current_dc");
        var reply = new ClusterStatusReply
        {
            Quorate = (string?)dc?.Attribute("with_quorum") == "true",
            Dc = (string?)dc?.Attribute("name") ?? "",
        };
        foreach (var node in root.Element("nodes")?.Elements("node") ?? [])
        {
            reply.Nodes.Add(new NodeStatus
            {
                Name = (string?)node.Attribute("name") ?? "",
                Online = (string?)node.Attribute("online") == "true",
                Standby = (string?)node.Attribute("standby") == "true",
                Unclean = (string?)node.Attribute("unclean") == "true",
            });
        }

        // Primitives appear alone, inside groups and clones; a clone's instances are one element each.
        foreach (var instances in (root.Element("resources")?.Descendants("resource") ?? []).GroupBy(r => (string?)r.Attribute("id") ?? ""))
        {
            var status = new ResourceStatus { Id = instances.Key };
            foreach (var resource in instances)
            {
                var role = (string?)resource.Attribute("role") ?? "Stopped";
                if ((string?)resource.Attribute("failed") == "true")
                {
                    role = "Failed";
                }

                foreach (var on in resource.Elements("node"))
                {
                    status.Instances.Add(new ResourceInstance { Node = (string?)on.Attribute("name") ?? "", Role = role });
                }
            }

            reply.Resources.Add(status);
        }

        if (dcState is not null && dcState != "S_IDLE")
        {
            reply.PendingActions.Add(new PendingAction { Node = reply.Dc, Action = $"controller in {dcState}" });
        }

        return reply;
    }
}

/// <summary>
/// The lines of Pacemaker's and Corosync's logs (hires timestamps, "Dec 06 03:48:46.045 ...") with their
/// times, for timing a Pacemaker failover phase by phase from what its daemons logged.
/// </summary>
public sealed class PacemakerLog
{
    private readonly List<(DateTimeOffset Time, string Text)> _lines = [];

    private PacemakerLog()
    {
    }

    public IReadOnlyList<(DateTimeOffset Time, string Text)> Lines => _lines;

    /// <summary>Reads the logs of the given paths; the year of every line is <paramref name="year"/> (the logs omit it).</summary>
    public static PacemakerLog Read(IEnumerable<string> paths, int year)
    {
        var log = new PacemakerLog();
        foreach (var path in paths.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length > 19 && DateTime.TryParseExact(line[..19], "MMM dd HH:mm:ss.fff", CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                {
                    log._lines.Add((new DateTimeOffset(new DateTime(year, time.Month, time.Day, time.Hour, time.Minute, time.Second, time.Millisecond, DateTimeKind.Utc)), line));
                }
            }
        }

        log._lines.Sort((a, b) => a.Time.CompareTo(b.Time));
        return log;
    }

    /// <summary>The time of the first line after <paramref name="after"/> that matches <paramref name="pattern"/>, or null.</summary>
    public DateTimeOffset? First(DateTimeOffset after, string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        foreach (var (time, text) in _lines)
        {
            if (time >= after && regex.IsMatch(text))
            {
                return time;
            }
        }

        return null;
    }

    /// <summary>When <paramref name="operation"/> of <paramref name="resource"/> on <paramref name="node"/> succeeded after <paramref name="after"/>.</summary>
    public DateTimeOffset? Succeeded(DateTimeOffset after, string operation, string resource, string node) =>
        First(after, $@"Result of {operation} operation for {Regex.Escape(resource)} on {Regex.Escape(node)}: ok");

    /// <summary>How long that operation ran: from its execution requested on the node to its result.</summary>
    public double? Duration(DateTimeOffset after, string operation, string resource, string node)
    {
        var done = Succeeded(after, operation, resource, node);
        var requested = First(after, $@"{Regex.Escape(node)} pacemaker-controld.*Requesting local execution of {operation} operation for {Regex.Escape(resource)} on {Regex.Escape(node)}");
        return done is { } d && requested is { } r && r <= d ? (d - r).TotalMilliseconds : null;
    }
}
