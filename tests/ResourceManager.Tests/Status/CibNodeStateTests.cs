using System.Xml.Linq;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Status;

/// <summary>
/// Every <c>node_state</c> combination of <c>Configuration/Cases/node-states/node-states.tsv</c>, as Pacemaker
/// 2.1.5's <c>crm_simulate</c> lists the node: the import must call exactly the same nodes unclean (they are
/// fenced) and online. Pending nodes run nothing and ClusterD reads them as offline.
/// </summary>
public sealed class CibNodeStateTests
{
    private static readonly string Folder = Path.Combine(Fixtures.Root, "node-states");

    [Fact]
    public void Import_EveryNodeState_UncleanOnlineAndPendingAsPacemaker()
    {
        var template = File.ReadAllText(Path.Combine(Folder, "node-state.xml"));
        var rows = File.ReadAllLines(Path.Combine(Folder, "node-states.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("stonith", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))
            .ToList();
        Assert.Equal(2 * 3 * 3 * 5 * 3 * 2 * 2, rows.Count);

        var wrong = new List<string>();
        foreach (var r in rows)
        {
            var n2 = Import(template, r).Status!.FindNode("n2")!;
            // Pending out of the membership (in_ccm not true) is never probed and runs nothing: offline.
            var expected = r[7] switch
            {
                "unclean" => (Online: false, Unclean: true, Pending: false),
                "online" => (Online: true, Unclean: false, Pending: false),
                "pending" => (Online: false, Unclean: false, Pending: r[1] == "true"),
                "offline" => (Online: false, Unclean: false, Pending: false),
                var other => throw new InvalidDataException($"state '{other}'"),
            };
            if ((n2.Online, n2.Unclean, n2.Pending) != expected)
            {
                wrong.Add($"{string.Join(' ', r)}: online={n2.Online} unclean={n2.Unclean} pending={n2.Pending}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {rows.Count} combinations differ from Pacemaker:\n{string.Join('\n', wrong.Take(30))}");
    }

    [Fact]
    public void Import_ShuttingDownNodeWithItsControllerUp_OnlineButRunsNothing()
    {
        var template = File.ReadAllText(Path.Combine(Folder, "node-state.xml"));
        var n2 = Import(template, ["true", "true", "online", "member", "member", "1700000000", "yes", "online"]).Status!.FindNode("n2")!;

        Assert.Equal((true, true, false), (n2.Online, n2.Standby, n2.Unclean));
    }

    // Checked with crm_simulate: n2 left cleanly with `a` still recorded started is not fenced when `a` is
    // unmanaged or the cluster is in maintenance mode (and is fenced otherwise: node-states.tsv).
    [Theory]
    [InlineData("<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"><meta_attributes id=\"a-m\"><nvpair id=\"a-m1\" name=\"is-managed\" value=\"false\"/></meta_attributes></primitive>", "")]
    [InlineData("<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>", "<nvpair id=\"o2\" name=\"maintenance-mode\" value=\"true\"/>")]
    public void Import_LeftNodeWithUnmanagedResourceActive_NotUnclean(string primitive, string property)
    {
        var template = File.ReadAllText(Path.Combine(Folder, "node-state.xml"))
            .Replace("<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>", primitive, StringComparison.Ordinal)
            .Replace("</cluster_property_set>", property + "</cluster_property_set>", StringComparison.Ordinal);
        var n2 = Import(template, ["true", "false", "offline", "down", "down", "-", "yes", "offline"]).Status!.FindNode("n2")!;

        Assert.Equal((false, false), (n2.Online, n2.Unclean));
    }

    private static CibImportResult Import(string template, string[] row)
    {
        string[] names = ["in_ccm", "crmd", "join", "expected"];
        var attributes = string.Join(' ', names.Select((n, i) => (n, v: row[i + 1])).Where(a => a.v != "-").Select(a => $"{a.n}=\"{a.v}\""));
        var transient = row[5] == "-"
            ? ""
            : $"<transient_attributes id=\"2\"><instance_attributes id=\"s2\"><nvpair id=\"s2-sd\" name=\"shutdown\" value=\"{row[5]}\"/></instance_attributes></transient_attributes>";
        var xml = template.Replace("STONITH", row[0], StringComparison.Ordinal)
            .Replace("N2ATTRS", attributes, StringComparison.Ordinal)
            .Replace("TRANSIENT", transient, StringComparison.Ordinal);
        if (row[6] == "no")
        {
            var cib = XDocument.Parse(xml);
            cib.Descendants("node_state").Single(s => (string?)s.Attribute("uname") == "n2").Element("lrm")!.Remove();
            xml = cib.ToString();
        }

        var result = CibImporter.Import(xml, "node-state.xml");
        Assert.Empty(result.Errors);
        return result;
    }
}
