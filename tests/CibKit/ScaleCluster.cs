using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace ClusterD.CibKit;

/// <summary>What the status of a <see cref="ScaleCluster"/> holds.</summary>
public enum ScaleCase
{
    /// <summary>Every node online, nothing has run anywhere yet.</summary>
    ColdStart,

    /// <summary>
    /// Everything runs on its home node (its start recorded, its monitor not: Pacemaker schedules the
    /// recurring monitors again); the first node is lost uncleanly (fence, then recover its resources).
    /// </summary>
    NodeLost,
}

/// <summary>
/// Large clusters for the scale benchmarks and the comparison with <c>crm_simulate</c>, as CIBs:
/// <see cref="Cib"/> (many primitives, a fifth of them in groups, with locations and colocations, on
/// 16 nodes), <see cref="ColocationChain"/>, <see cref="Orphans"/> (a status naming resources the
/// configuration does not have) and <see cref="Nested"/> (deeply nested XML). Deterministic: the
/// same arguments give the same text.
/// </summary>
public static class ScaleCluster
{
    public const int DefaultNodes = 16;

    /// <summary>The node names: <c>n01</c>, <c>n02</c>, ...</summary>
    public static string NodeName(int index) => "n" + (index + 1).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="primitives"/> Dummy primitives (rounded down to a multiple of 20) and a fence
    /// device on <paramref name="nodes"/> nodes. Out of every 20 primitives 16 stand alone and 4 form a
    /// group. Every third top-level resource prefers a node (score 100), every 10th follows the one
    /// before it (INFINITY colocation), every 10th, offset by 5, leans towards the one three before it
    /// (score 50; a group that does runs with it), and every 17th is banned (-INFINITY) from a node
    /// other than its home (the node it prefers or follows, else one by turn, where
    /// <see cref="ScaleCase.NodeLost"/> runs it). Stickiness 100 for every resource.
    /// </summary>
    public static string Cib(int primitives, ScaleCase scaleCase, int nodes = DefaultNodes)
    {
        var cib = new CibWriter();
        var tops = new List<(string Id, string[] Primitives, int Home)>();
        var resources = new XElement("resources", CibWriter.StonithPrimitive("fencing", "fence_dummy"));
        var constraints = new XElement("constraints");
        var units = primitives / 20;
        for (var u = 0; u < units; u++)
        {
            for (var k = 0; k < 17; k++)
            {
                var t = tops.Count;
                var home = t % nodes;
                if (t % 3 == 0)
                {
                    home = (t * 7) % nodes;
                    constraints.Add(Location(cib, t, home, "100", nodes));
                }

                if (t > 0 && t % 10 == 0)
                {
                    home = tops[t - 1].Home;
                    constraints.Add(Colocation(cib, TopId(t), tops[t - 1].Id, "INFINITY"));
                }
                else if (t > 3 && t % 10 == 5)
                {
                    constraints.Add(Colocation(cib, TopId(t), tops[t - 3].Id, "50"));

                    // A group pulls what it follows with its later members' stickiness at full strength
                    // (Pacemaker's rule): it runs with it, or the status would not be a settled one.
                    if (k == 16)
                    {
                        home = tops[t - 3].Home;
                    }
                }

                if (t % 17 == 5)
                {
                    constraints.Add(Location(cib, t, (home + 5) % nodes, "-INFINITY", nodes));
                }

                if (k == 16)
                {
                    var members = Enumerable.Range(0, 4).Select(m => $"{TopId(t)}m{m}").ToArray();
                    resources.Add(new XElement("group", new XAttribute("id", TopId(t)), members.Select(m => Dummy(cib, m))));
                    tops.Add((TopId(t), members, home));
                }
                else
                {
                    resources.Add(Dummy(cib, TopId(t)));
                    tops.Add((TopId(t), [TopId(t)], home));
                }
            }
        }

        var status = new XElement("status");
        for (var n = 0; n < nodes; n++)
        {
            var lost = scaleCase == ScaleCase.NodeLost && n == 0;
            var state = CibWriter.NodeState(NodeName(n), n, up: !lost, left: false);
            var lrm = new XElement("lrm_resources");
            if (scaleCase == ScaleCase.NodeLost)
            {
                foreach (var primitive in tops.Where(t => t.Home == n).SelectMany(t => t.Primitives))
                {
                    lrm.Add(CibWriter.LrmResource(primitive, "ocf", "pacemaker", "Dummy").With(
                        CibWriter.LrmOp(primitive, primitive + "_last_0", "start", 0, 0, 0, 2)));
                }

                if (n == 1)
                {
                    lrm.Add(CibWriter.LrmResource("fencing", "stonith", null, "fence_dummy").With(
                        CibWriter.LrmOp("fencing", "fencing_last_0", "start", 0, 0, 0, 2)));
                }
            }

            state.Add(new XElement("lrm", new XAttribute("id", n + 1), lrm));
            status.Add(state);
        }

        var configuration = new XElement(
            "configuration",
            new XElement("crm_config", new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"), cib.NvPair("stonith-enabled", "true"))),
            new XElement("nodes", Enumerable.Range(0, nodes).Select(n => cib.Node(NodeName(n), n))),
            resources,
            constraints,
            new XElement("rsc_defaults", new XElement("meta_attributes", new XAttribute("id", "rsc-options"), cib.NvPair("resource-stickiness", "100"))));
        return Text(CibWriter.Cib(configuration, status));
    }

    /// <summary>
    /// <paramref name="length"/> + 1 Dummy primitives on 3 nodes where each follows the one before it
    /// (<c>c1</c> with <c>c0</c>, <c>c2</c> with <c>c1</c>, ...: <paramref name="length"/> INFINITY
    /// colocations), cold start, fencing off.
    /// </summary>
    public static string ColocationChain(int length)
    {
        var cib = new CibWriter();
        var resources = new XElement("resources", Enumerable.Range(0, length + 1).Select(i => Dummy(cib, Chained(i))));
        var constraints = new XElement("constraints", Enumerable.Range(1, length).Select(i => Colocation(cib, Chained(i), Chained(i - 1), "INFINITY")));
        return Small(cib, resources, constraints, new XElement("status", Enumerable.Range(0, 3).Select(n => CibWriter.NodeState(NodeName(n), n, up: true, left: false))));
    }

    /// <summary>
    /// One configured Dummy primitive on 2 nodes and a status in which <paramref name="count"/> other
    /// resources (<c>orphan00001</c>, ...) are Started on the first node: every one of them is an orphan
    /// to stop. Fencing off.
    /// </summary>
    public static string Orphans(int count)
    {
        var cib = new CibWriter();
        var lrm = new XElement("lrm_resources");
        for (var i = 1; i <= count; i++)
        {
            var id = "orphan" + i.ToString("00000", CultureInfo.InvariantCulture);
            lrm.Add(CibWriter.LrmResource(id, "ocf", "pacemaker", "Dummy").With(CibWriter.LrmOp(id, id + "_last_0", "start", 0, 0, 0, 2)));
        }

        var first = CibWriter.NodeState(NodeName(0), 0, up: true, left: false);
        first.Add(new XElement("lrm", new XAttribute("id", "1"), lrm));
        var status = new XElement("status", first, CibWriter.NodeState(NodeName(1), 1, up: true, left: false));
        return Small(cib, new XElement("resources", Dummy(cib, "db")), new XElement("constraints"), status);
    }

    /// <summary>
    /// A CIB whose configuration holds an element nested <paramref name="depth"/> levels deep (inside
    /// a primitive's <c>instance_attributes</c>: <c>&lt;x&gt;&lt;x&gt;...</c>), written without indentation.
    /// </summary>
    public static string Nested(int depth)
    {
        var text = new StringBuilder(depth * 8 + 1024);
        text.Append("<cib validate-with=\"pacemaker-3.9\" have-quorum=\"1\"><configuration><crm_config/><nodes/><resources>");
        text.Append("<primitive id=\"db\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><instance_attributes id=\"db-params\">");
        text.Insert(text.Length, "<x>", depth);
        text.Insert(text.Length, "</x>", depth);
        text.Append("</instance_attributes></primitive></resources><constraints/></configuration><status/></cib>");
        return text.ToString();
    }

    private static string TopId(int t) => "r" + t.ToString("00000", CultureInfo.InvariantCulture);

    private static string Chained(int i) => "c" + i.ToString(CultureInfo.InvariantCulture);

    private static XElement Dummy(CibWriter cib, string id) => CibWriter.OcfPrimitive(id, "Dummy", cib.Op(id, "monitor", "10s", null));

    private static XElement Location(CibWriter cib, int t, int node, string score, int nodes) =>
        new(
            "rsc_location",
            new XAttribute("id", cib.Id("loc-" + TopId(t))),
            new XAttribute("rsc", TopId(t)),
            new XAttribute("node", NodeName(node % nodes)),
            new XAttribute("score", score));

    private static XElement Colocation(CibWriter cib, string follower, string primary, string score) =>
        new(
            "rsc_colocation",
            new XAttribute("id", cib.Id($"col-{follower}")),
            new XAttribute("score", score),
            new XAttribute("rsc", follower),
            new XAttribute("with-rsc", primary));

    private static string Small(CibWriter cib, XElement resources, XElement constraints, XElement status)
    {
        var nodes = status.Elements("node_state").Select((s, i) => cib.Node((string)s.Attribute("uname")!, i));
        var configuration = new XElement(
            "configuration",
            new XElement("crm_config", new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"), cib.NvPair("stonith-enabled", "false"))),
            new XElement("nodes", nodes),
            resources,
            constraints);
        return Text(CibWriter.Cib(configuration, status));
    }

    /// <summary>Without indentation: a large CIB stays within the 8 MiB clusterctl reads (10,000 primitives running: about 6 MiB).</summary>
    private static string Text(XElement cib) => cib.ToString(SaveOptions.DisableFormatting);

    private static XElement With(this XElement element, params XElement[] children)
    {
        element.Add(children);
        return element;
    }
}
