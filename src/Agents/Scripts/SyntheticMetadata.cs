using System.Xml.Linq;

namespace ClusterD.Agents.Scripts;

/// <summary>
/// OCF-shaped meta-data for agents that have none of their own (LSB scripts, systemd units), as
/// Pacemaker synthesises it: no parameters, and the actions the class supports.
/// </summary>
internal static class SyntheticMetadata
{
    public static string Create(string name, string shortDescription, string longDescription, IEnumerable<(string Action, int TimeoutSeconds, int? IntervalSeconds)> actions)
    {
        var document = new XDocument(
            new XElement("resource-agent",
                new XAttribute("name", name),
                new XAttribute("version", "1.0"),
                new XElement("version", "1.1"),
                new XElement("longdesc", new XAttribute("lang", "en"), longDescription),
                new XElement("shortdesc", new XAttribute("lang", "en"), shortDescription),
                new XElement("parameters"),
                new XElement("actions", actions.Select(a => new XElement("action",
                    new XAttribute("name", a.Action),
                    new XAttribute("timeout", $"{a.TimeoutSeconds}s"),
                    a.IntervalSeconds is { } interval ? new XAttribute("interval", $"{interval}s") : null)))));
        return document.ToString() + "\n";
    }
}
