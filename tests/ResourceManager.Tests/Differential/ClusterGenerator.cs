using System.Collections.Immutable;
using System.Globalization;
using System.Xml.Linq;
using ClusterD.CibKit;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// Builds the <see cref="RandomCluster"/> of one seed: 2 to 5 nodes (online, standby, offline or
/// unclean, with a <c>site</c> and a <c>rack</c> attribute), 1 to 5 top-level resources (Dummy
/// primitives, groups of Dummies, clones, promotable clones of Stateful), locations with scores and
/// rules, colocations and orders with roles and actions, stickiness and migration-threshold, and a
/// status (this file: the configuration; <c>ClusterGenerator.Status.cs</c>: the status).
/// Resources only ever follow or come after resources listed before them, so there are no cycles.
/// </summary>
internal sealed partial class ClusterGenerator(int seed)
{
    private static readonly string[] Scores = ["-INFINITY", "-100", "50", "100", "200", "INFINITY"];

    private readonly Random _random = new(seed);
    private readonly Random _membership = new(unchecked((seed * 7919) + 17));
    private readonly CibWriter _cib = new();
    private readonly List<Top> _tops = [];
    private readonly List<string> _nodes = [];
    private readonly Dictionary<string, NodeKind> _kinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Site, int Rack)> _attributes = new(StringComparer.Ordinal);
    private bool _stonith;

    private enum NodeKind
    {
        Online,
        Standby,
        Offline,
        Unclean,
    }

    private enum TopKind
    {
        Primitive,
        Group,
        Clone,
        Promotable,
    }

    /// <summary>A top-level resource: its id, what it is and its primitives (one unless a group).</summary>
    private sealed record Top(string Id, TopKind Kind, ImmutableArray<string> Primitives);

    public RandomCluster Generate()
    {
        var nodeCount = _random.Next(2, 6);
        for (var i = 1; i <= nodeCount; i++)
        {
            var name = "n" + i.ToString(CultureInfo.InvariantCulture);
            _nodes.Add(name);
            _attributes[name] = (Pick("a", "b"), _random.Next(1, 4));
        }

        _stonith = Chance(0.3);
        foreach (var name in _nodes)
        {
            _kinds[name] = Weighted((NodeKind.Online, 12), (NodeKind.Standby, 1), (NodeKind.Offline, 1), (NodeKind.Unclean, 1));
        }

        if (_kinds.Values.All(k => k != NodeKind.Online))
        {
            _kinds[_nodes[0]] = NodeKind.Online;
        }

        var resources = new XElement("resources");
        if (_stonith)
        {
            resources.Add(CibWriter.StonithPrimitive("fencing", "fence_dummy"));
            _tops.Add(new Top("fencing", TopKind.Primitive, ["fencing"]));
        }

        var count = _random.Next(1, 6);
        for (var i = 1; i <= count; i++)
        {
            resources.Add(Resource(i));
        }

        var cib = CibWriter.Cib(
            new XElement(
                "configuration",
                new XElement("crm_config", Properties()),
                new XElement("nodes", _nodes.Select(NodeElement)),
                resources,
                Constraints(),
                RscDefaults()),
            Status());
        return new RandomCluster(
            seed,
            new XDocument(cib).ToString(),
            _roles.ToImmutableDictionary(),
            [.. _tops.Where(t => t.Kind == TopKind.Promotable).SelectMany(t => t.Primitives)],
            [.. _nodes]);
    }

    private XElement Properties()
    {
        var set = new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"));
        set.Add(NvPair("stonith-enabled", _stonith ? "true" : "false"));
        if (Chance(0.1))
        {
            set.Add(NvPair("symmetric-cluster", "false"));
        }

        return set;
    }

    private XElement? RscDefaults()
    {
        var meta = new XElement("meta_attributes", new XAttribute("id", Id("rsc-options")));
        if (Chance(0.6))
        {
            meta.Add(NvPair("resource-stickiness", Pick("0", "1", "100")));
        }

        if (Chance(0.3))
        {
            meta.Add(NvPair("migration-threshold", Pick("2", "3")));
        }

        return meta.HasElements ? new XElement("rsc_defaults", meta) : null;
    }

    private XElement NodeElement(string name, int index)
    {
        List<(string, string)> attributes = [("site", _attributes[name].Site), ("rack", _attributes[name].Rack.ToString(CultureInfo.InvariantCulture))];
        if (_kinds[name] == NodeKind.Standby)
        {
            attributes.Add(("standby", "on"));
        }

        return _cib.Node(name, index, [.. attributes]);
    }

    private XElement Resource(int index)
    {
        var n = index.ToString(CultureInfo.InvariantCulture);
        var kind = Weighted((TopKind.Primitive, 4), (TopKind.Group, 2), (TopKind.Clone, 2), (TopKind.Promotable, 3));
        switch (kind)
        {
            case TopKind.Group:
                {
                    var members = Enumerable.Range(0, _random.Next(2, 4)).Select(m => $"g{n}{(char)('a' + m)}").ToImmutableArray();
                    _tops.Add(new Top("g" + n, kind, members));
                    return WithMeta(new XElement("group", new XAttribute("id", "g" + n), members.Select(m => Primitive(m, stateful: false, meta: false))), top: true);
                }

            case TopKind.Clone:
            case TopKind.Promotable:
                {
                    var promotable = kind == TopKind.Promotable;
                    var id = (promotable ? "m" : "c") + n;
                    var primitive = id + "p";
                    _tops.Add(new Top(id, kind, [primitive]));
                    var clone = new XElement("clone", new XAttribute("id", id), Primitive(primitive, promotable, meta: false));
                    var meta = new XElement("meta_attributes", new XAttribute("id", Id(id + "-meta")));
                    if (promotable)
                    {
                        meta.Add(NvPair("promotable", "true"));
                        if (Chance(0.3))
                        {
                            meta.Add(NvPair("promoted-max", Pick("1", "2")));
                        }
                    }

                    if (Chance(0.25))
                    {
                        meta.Add(NvPair("clone-max", _random.Next(1, _nodes.Count + 1).ToString(CultureInfo.InvariantCulture)));
                    }

                    if (Chance(0.3))
                    {
                        meta.Add(NvPair("interleave", "true"));
                    }

                    AddCommonMeta(meta, top: true);
                    clone.Add(meta);
                    return clone;
                }

            default:
                {
                    var id = "r" + n;
                    _tops.Add(new Top(id, kind, [id]));
                    return Primitive(id, stateful: false, meta: true);
                }
        }
    }

    private XElement Primitive(string id, bool stateful, bool meta)
    {
        var primitive = stateful
            ? CibWriter.OcfPrimitive(id, "Stateful", _cib.Op(id, "monitor", "10s", "Promoted"), _cib.Op(id, "monitor", "11s", "Unpromoted"))
            : CibWriter.OcfPrimitive(id, "Dummy", _cib.Op(id, "monitor", "10s", null));
        return meta ? WithMeta(primitive, top: true) : primitive;
    }

    private XElement WithMeta(XElement resource, bool top)
    {
        var meta = new XElement("meta_attributes", new XAttribute("id", Id(resource.Attribute("id")!.Value + "-meta")));
        AddCommonMeta(meta, top);
        if (meta.HasElements)
        {
            resource.Add(meta);
        }

        return resource;
    }

    private void AddCommonMeta(XElement meta, bool top)
    {
        if (top && Chance(0.2))
        {
            meta.Add(NvPair("resource-stickiness", Pick("0", "50", "200")));
        }

        if (top && Chance(0.15))
        {
            meta.Add(NvPair("migration-threshold", Pick("1", "2", "3")));
        }

        if (top && Chance(0.05))
        {
            meta.Add(NvPair("target-role", "Stopped"));
        }
    }

    private XElement NvPair(string name, string value) => _cib.NvPair(name, value);

    private string Id(string prefix) => _cib.Id(prefix);

    private bool Chance(double p) => _random.NextDouble() < p;

    private string Pick(params string[] values) => values[_random.Next(values.Length)];

    private T Weighted<T>(params (T Value, int Weight)[] choices) => Weighted(_random, choices);

    private static T Weighted<T>(Random random, params (T Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }
}
