using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>
/// Builds a random valid configuration from a seed: every statement kind, odd values (quotes,
/// backslashes, spaces, newlines, keywords as ids), typed and free attributes. Deterministic per seed
/// so a failing FsCheck case can be replayed.
/// </summary>
internal static class RandomConfigs
{
    private static readonly string[] IdPool = ["r0", "r1", "web", "db_1", "x.y", "a-b", "meta", "rule", "op", "and", "_z"];
    private static readonly string[] Agents = ["ocf:heartbeat:Dummy", "ocf:linbit:drbd", "lsb:mysql", "systemd:nginx", "stonith:fence_azure_arm", "service:cron", "stonith:external/azure"];
    private static readonly string[] Nodes = ["n1", "n2", "hadb01", "10node"];
    private static readonly string[] ValueChars = ["a", "Z", "0", " ", "\"", "'", "\\", "#", "=", ":", "(", "\t", "\n", "é", "/", "$", "-"];
    private static readonly string[] OpNames = ["start", "stop", "monitor", "promote", "demote", "notify"];
    private static readonly string[] AttrNames = ["a", "b", "c-d", "x_y", "OCF_CHECK_LEVEL", "#kind", "pingd"];

    public static ClusterConfig Build(int seed)
    {
        var random = new Random(seed);
        var ids = new Queue<string>(IdPool.Concat(Enumerable.Range(0, 60).Select(i => $"res{i}")).OrderBy(_ => random.Next()));
        var primitives = Enumerable.Range(0, random.Next(1, 7)).Select(_ => Primitive(random, ids.Dequeue())).ToList();

        // Put some primitives in groups, then clone some groups and some free primitives.
        var free = new Queue<string>(primitives.Select(p => p.Id));
        var groups = new List<ResourceGroup>();
        while (free.Count > 2 && random.Next(3) == 0)
        {
            groups.Add(new ResourceGroup(ids.Dequeue(), [free.Dequeue(), free.Dequeue()], Meta(random, resource: true), Maybe(random, () => Text(random))));
        }

        var cloneable = free.Concat(groups.Select(g => g.Id)).Where(_ => random.Next(3) == 0).ToList();
        var clones = cloneable.Select(child => new CloneResource(ids.Dequeue(), child, random.Next(2) == 0, CloneMeta(random), Maybe(random, () => Text(random)))).ToList();
        var all = primitives.Select(p => p.Id).Concat(groups.Select(g => g.Id)).Concat(clones.Select(c => c.Id)).ToList();

        return new ClusterConfig
        {
            Version = random.Next(2) == 0 ? default : new ConfigVersion(random.Next(0, 3), random.Next(0, 100_000)),
            Nodes = [.. Nodes.Where(_ => random.Next(2) == 0).Select(n => new NodeDefinition(
                n, Maybe(random, () => random.Next(1, 99).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Map(random, AttrNames, () => Text(random)).SetItem("standby", random.Next(2) == 0 ? "on" : "off"),
                Map(random, ["cpu", "memory"], () => random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Maybe(random, () => Text(random))))],
            Primitives = [.. primitives],
            Groups = [.. groups],
            Clones = [.. clones],
            Locations = [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => Location(random, ids.Dequeue(), Pick(random, all)))],
            Colocations = [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Colocation(random, ids.Dequeue(), all))],
            Orders = [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Order(random, ids.Dequeue(), all))],
            Properties = new ClusterProperties(
                MaybeStruct(random, () => random.Next(2) == 0),
                MaybeStruct(random, () => (NoQuorumPolicy)random.Next(4)),
                MaybeStruct(random, () => random.Next(2) == 0),
                MaybeStruct(random, () => random.Next(2) == 0),
                MaybeStruct(random, () => Duration.FromSeconds(random.Next(60))),
                Map(random, ["cluster-name", "dc-version", "stonith-timeout"], () => Text(random))),
            ResourceDefaults = Meta(random, resource: true),
            OperationDefaults = Map(random, ["timeout", "record-pending"], () => "1"),
        };
    }

    private static Primitive Primitive(Random random, string id)
    {
        var used = new HashSet<(string, Duration)>();
        var ops = new List<Operation>();
        for (var i = random.Next(0, 5); i > 0; i--)
        {
            var op = new Operation(
                Pick(random, OpNames),
                new Duration(random.Next(4) switch { 0 => 0, 1 => random.Next(1, 100) * 1000L, 2 => random.Next(1, 5) * 60_000L, _ => random.Next(1, 2000) }),
                MaybeStruct(random, () => Duration.FromSeconds(random.Next(1, 300))),
                MaybeStruct(random, () => (ResourceRole)random.Next(4)),
                MaybeStruct(random, () => (OnFailPolicy)random.Next(7)),
                Map(random, ["OCF_CHECK_LEVEL", "depth", "enabled"], () => random.Next(2) == 0 ? "true" : "false"));
            if (used.Add((op.Name, op.Interval)))
            {
                ops.Add(op);
            }
        }

        return new Primitive(
            id,
            AgentSpec.Parse(Pick(random, Agents)),
            Map(random, AttrNames, () => Text(random)),
            Meta(random, resource: true),
            [.. ops],
            Map(random, ["cpu"], () => "1"),
            Maybe(random, () => Text(random)));
    }

    private static LocationConstraint Location(Random random, string id, string rsc)
    {
        var role = MaybeStruct(random, () => (ResourceRole)random.Next(4));
        var discovery = MaybeStruct(random, () => (ResourceDiscovery)random.Next(3));
        if (random.Next(2) == 0)
        {
            return new LocationConstraint(id, rsc, Score(random), Pick(random, Nodes), [], role, discovery);
        }

        var rules = Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
        {
            EquatableArray<RuleExpression> expressions = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Expression(random))];
            var scoreAttribute = random.Next(4) == 0 ? "pingd" : null;
            return new LocationRule(
                scoreAttribute is null ? Score(random) : global::ClusterD.ResourceManager.Configuration.Score.Zero,
                expressions,
                expressions.Count > 1 ? (BooleanOperator)random.Next(2) : BooleanOperator.And,
                scoreAttribute,
                MaybeStruct(random, () => (ResourceRole)random.Next(4)));
        });
        return new LocationConstraint(id, rsc, global::ClusterD.ResourceManager.Configuration.Score.Zero, null, [.. rules], role, discovery);
    }

    private static RuleExpression Expression(Random random)
    {
        var op = (RuleOperator)random.Next(8);
        return op is RuleOperator.Defined or RuleOperator.NotDefined
            ? new RuleExpression(Pick(random, AttrNames), op)
            : new RuleExpression(Pick(random, AttrNames), op, Text(random), MaybeStruct(random, () => (RuleValueType)random.Next(4)));
    }

    private static ColocationConstraint Colocation(Random random, string id, List<string> all)
    {
        var (a, b) = TwoDifferent(random, all);
        return new ColocationConstraint(id, Score(random), a, b,
            MaybeStruct(random, () => (ResourceRole)random.Next(4)), MaybeStruct(random, () => (ResourceRole)random.Next(4)),
            random.Next(4) == 0 ? "rack" : null);
    }

    private static OrderConstraint Order(Random random, string id, List<string> all)
    {
        var (a, b) = TwoDifferent(random, all);
        var kind = MaybeStruct(random, () => (OrderKind)random.Next(3));
        return new OrderConstraint(id, a, b,
            MaybeStruct(random, () => (ResourceAction)random.Next(4)), MaybeStruct(random, () => (ResourceAction)random.Next(4)),
            kind, kind is null ? MaybeStruct(random, () => Score(random)) : null, MaybeStruct(random, () => random.Next(2) == 0));
    }

    private static AttributeMap Meta(Random random, bool resource) => AttributeMap.Create(new (string, Func<string>)[]
    {
        ("target-role", () => ResourceRoles.Name((ResourceRole)random.Next(4))),
        ("is-managed", () => random.Next(2) == 0 ? "true" : "false"),
        ("resource-stickiness", () => Score(random).ToString()),
        ("migration-threshold", () => random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("failure-timeout", () => Duration.FromSeconds(random.Next(600)).ToString()),
        ("allow-migrate", () => Text(random)),
    }.Where(_ => resource && random.Next(3) == 0).Select(p => KeyValuePair.Create(p.Item1, p.Item2())));

    private static AttributeMap CloneMeta(Random random) => AttributeMap.Create(new[]
    {
        "clone-max", "clone-node-max", "promoted-max", "promoted-node-max",
    }.Where(_ => random.Next(2) == 0).Select(n => KeyValuePair.Create(n, random.Next(0, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .Concat(random.Next(2) == 0 ? [KeyValuePair.Create("notify", "true")] : []));

    private static AttributeMap Map(Random random, string[] names, Func<string> value) =>
        AttributeMap.Create(names.Where(_ => random.Next(3) == 0).Select(n => KeyValuePair.Create(n, value())));

    private static Score Score(Random random) => random.Next(5) switch
    {
        0 => global::ClusterD.ResourceManager.Configuration.Score.Infinity,
        1 => global::ClusterD.ResourceManager.Configuration.Score.MinusInfinity,
        _ => new Score(random.Next(-2000, 2000)),
    };

    private static string Text(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => Pick(random, ValueChars)));

    private static (string, string) TwoDifferent(Random random, List<string> all)
    {
        var a = Pick(random, all);
        var others = all.Where(x => x != a).ToList();
        return (a, others.Count == 0 ? a : Pick(random, others));
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string? Maybe(Random random, Func<string> value) => random.Next(2) == 0 ? null : value();

    private static T? MaybeStruct<T>(Random random, Func<T> value)
        where T : struct => random.Next(2) == 0 ? null : value();
}
