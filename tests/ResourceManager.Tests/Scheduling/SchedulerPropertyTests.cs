using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterD.ResourceManager.Tests.Scheduling;

/// <summary>
/// Random small clusters (2 to 4 nodes; a promotable clone, a group colocated with its Promoted role
/// and ordered after its promotion, two plain primitives; random node states, quorum, policies,
/// promotion scores, fail counts and instances): the safety rules hold for every graph.
/// </summary>
public sealed class SchedulerPropertyTests
{
    private static readonly string[] Roles = ["Stopped", "Started", "Unpromoted", "Promoted", "Failed"];

    private static Gen<(ClusterConfig Config, ClusterStatus Status)> Clusters =>
        from nodeCount in Gen.Choose(2, 4)
        from promotedMax in Gen.Choose(1, 2)
        from stonith in Gen.Elements(true, false)
        from policy in Gen.Elements(NoQuorumPolicy.Stop, NoQuorumPolicy.Freeze, NoQuorumPolicy.Ignore, NoQuorumPolicy.Demote)
        from quorate in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from stickiness in Gen.Elements(0, 1, 100)
        from avoid in Gen.Elements(true, false)
        from nodeStates in Gen.ArrayOf(Gen.Choose(0, 6), nodeCount)
        from scores in Gen.ArrayOf(Gen.Choose(-1, 3), nodeCount)
        from roles in Gen.ArrayOf(Gen.Choose(0, 4), nodeCount * 5)
        from fails in Gen.ArrayOf(Gen.Choose(0, 4), nodeCount)
        select Build(nodeCount, promotedMax, stonith, policy, quorate, stickiness, avoid, nodeStates, scores, roles, fails);

    [Fact]
    public void Schedule_RandomClusters_KeepsTheSafetyRules() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(Arb.From(Clusters), input =>
        {
            var (config, status) = input;
            var graph = Scheduler.Schedule(config, status);
            Assert.Equal(graph.Actions.Length, graph.Ordered().Length);
            AssertPlacementSafe(status, graph, promotedMax: config.Clones[0].PromotedMax);
            AssertFencedBeforeRecovery(config, status, graph);
            AssertNeverTooManyPromoted(config, status, graph);
            AssertPendingNodesHeld(status, graph);
        }));

    /// <summary>
    /// The cluster settles: once the graphs are applied, at most two transitions in a row do anything. One is the
    /// usual case; a second happens when the first changed what the scores depend on (a group that was split
    /// across nodes, a failed member recovered elsewhere, brings its members' stickiness to the promotion
    /// scores), as it does in Pacemaker. A scheduler that kept moving things would need a third.
    /// </summary>
    [Fact]
    public void Schedule_GraphsApplied_SettleWithinTwoTransitions() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(Clusters), input =>
        {
            var (config, status) = input;
            var first = Scheduler.Schedule(config, status);
            var second = Scheduler.Schedule(config, Applied(status, first));
            var third = Scheduler.Schedule(config, Applied(Applied(status, first), second));
            Assert.True(third.IsEmpty, "third transition: " + string.Join(", ", third.Ordered()) + "\nsecond: " + string.Join(", ", second.Ordered())
                + "\nfirst: " + string.Join(", ", first.Ordered()));
        }));

    /// <summary>
    /// What is active on a pending node stays as the status has it, safe or not (nothing can act there):
    /// only too many Promoted there alone, or a group member there, is let through.
    /// </summary>
    private static void AssertPlacementSafe(ClusterStatus status, TransitionGraph graph, int promotedMax)
    {
        var pending = status.Nodes.Where(n => n.Pending && !n.Unclean).Select(n => n.Name).ToHashSet();
        var promoted = graph.Placement.Where(p => p.Resource == "p" && p.Role == ResourceRole.Promoted).Select(p => p.Node).ToList();
        Assert.True(promoted.Count <= promotedMax || promoted.All(pending.Contains), $"{promoted.Count} Promoted with promoted-max {promotedMax}");
        foreach (var member in graph.Placement.Where(p => p.Resource is "g1" or "g2" && !pending.Contains(p.Node)))
        {
            Assert.Contains(member.Node, promoted);
        }
    }

    private static void AssertFencedBeforeRecovery(ClusterConfig config, ClusterStatus status, TransitionGraph graph)
    {
        foreach (var node in status.Nodes.Where(n => n.Unclean))
        {
            var wasThere = status.Resources.Where(r => r.ActiveOn.Contains(node.Name) || r.RoleOn(node.Name) == InstanceRole.Failed).Select(r => r.Id).ToHashSet();
            var family = new Dictionary<string, string[]> { ["p"] = ["p"], ["g1"] = ["g1", "g2"], ["g2"] = ["g1", "g2"], ["a"] = ["a"], ["b"] = ["b"], ["fd"] = ["fd"] };
            var affected = wasThere.SelectMany(r => family[r]).ToHashSet();
            foreach (var action in graph.Actions.Where(a => a.Op is TransitionOp.Start or TransitionOp.Promote && affected.Contains(a.Resource)))
            {
                if (!config.Properties.IsStonithEnabled)
                {
                    continue;
                }

                if (graph.Find("fence@" + node.Name) is not null)
                {
                    Assert.True(graph.Precedes("fence@" + node.Name, action.Id), $"{action.Id} before fencing {node.Name}");
                }
                else
                {
                    // Cannot fence (no quorum): only other instances of the clone may start; nothing is recovered.
                    var wasPromoted = status.FindResource("p")?.RoleOn(node.Name) == InstanceRole.Promoted;
                    Assert.True(action.Resource == "p" && !(action.Op == TransitionOp.Promote && wasPromoted), $"{action.Id} although {node.Name} cannot be fenced");
                }
            }
        }
    }

    /// <summary>
    /// Nothing can run on a pending node, and what is active there may still run: no action there, and
    /// no start elsewhere of a primitive (not the clone's) active there, which would run it twice.
    /// </summary>
    private static void AssertPendingNodesHeld(ClusterStatus status, TransitionGraph graph)
    {
        foreach (var node in status.Nodes.Where(n => n.Pending && !n.Unclean))
        {
            Assert.DoesNotContain(graph.Actions, a => a.Node == node.Name);
            var held = status.Resources.Where(r => r.Id != "p" && (r.ActiveOn.Contains(node.Name) || r.RoleOn(node.Name) == InstanceRole.Failed)).Select(r => r.Id).ToHashSet();
            Assert.DoesNotContain(graph.Actions, a => a.Op == TransitionOp.Start && held.Contains(a.Resource));
        }
    }

    /// <summary>
    /// Runs the actions in order from the status: never more Promoted than promoted-max (an unclean
    /// node's instance counts until it is fenced; without fencing it is assumed down), and never a
    /// group member active where the instance is not Promoted.
    /// </summary>
    private static void AssertNeverTooManyPromoted(ClusterConfig config, ClusterStatus status, TransitionGraph graph)
    {
        var gone = status.Nodes.Where(n => !n.Online && !n.Pending && !(n.Unclean && config.Properties.IsStonithEnabled)).Select(n => n.Name).ToHashSet();
        var promoted = (status.FindResource("p")?.Instances ?? default).Where(i => i.Role == InstanceRole.Promoted && !gone.Contains(i.Node)).Select(i => i.Node).ToHashSet();
        var members = new[] { "g1", "g2" }
            .SelectMany(g => (status.FindResource(g)?.Instances ?? default).Where(i => i.Role is InstanceRole.Started or InstanceRole.Failed && !gone.Contains(i.Node)).Select(i => (g, i.Node)))
            .ToHashSet();
        var max = config.Clones[0].PromotedMax;
        var checkGroup = members.All(m => promoted.Contains(m.Node));
        if (promoted.Count > max)
        {
            return;
        }

        foreach (var action in graph.Ordered())
        {
            switch (action.Op)
            {
                case TransitionOp.Promote when action.Resource == "p":
                    promoted.Add(action.Node);
                    break;
                case TransitionOp.Demote when action.Resource == "p":
                    promoted.Remove(action.Node);
                    break;
                case TransitionOp.Start when action.Resource is "g1" or "g2":
                    members.Add((action.Resource, action.Node));
                    break;
                case TransitionOp.Stop when action.Resource is "g1" or "g2":
                    members.Remove((action.Resource, action.Node));
                    break;
                case TransitionOp.Fence:
                    promoted.Remove(action.Node);
                    members.RemoveWhere(m => m.Node == action.Node);
                    break;
            }

            Assert.True(promoted.Count <= max, $"{promoted.Count} Promoted after {action.Id}");
            Assert.True(!checkGroup || members.All(m => promoted.Contains(m.Node)), $"a group member runs where p is not Promoted after {action.Id}");
        }
    }

    /// <summary>The status once the graph ran: fenced nodes down, every instance where the placement says.</summary>
    private static ClusterStatus Applied(ClusterStatus status, TransitionGraph graph)
    {
        var fenced = graph.Actions.Where(a => a.Op == TransitionOp.Fence).Select(a => a.Node).ToHashSet();
        var nodes = status.Nodes.Select(n => fenced.Contains(n.Name) ? n with { Online = false, Unclean = false } : n).ToList();
        var reachable = nodes.Where(n => (n.Online || n.Pending) && !n.Unclean).Select(n => n.Name).ToHashSet();
        var ids = status.Resources.Select(r => r.Id).Concat(graph.Placement.Select(p => p.Resource)).Distinct();
        var resources = ids.Select(id => new ResourceStatus(id, "", [
            .. (status.FindResource(id)?.Instances ?? default).Where(i => !reachable.Contains(i.Node) && !fenced.Contains(i.Node)),
            .. graph.Placement.Where(p => p.Resource == id).Select(p => new ResourceInstance(p.Node, p.Role switch
            {
                ResourceRole.Promoted => InstanceRole.Promoted,
                ResourceRole.Unpromoted => InstanceRole.Unpromoted,
                _ => InstanceRole.Started,
            })),
        ])).ToList();
        return status with { Nodes = [.. nodes], Resources = [.. resources] };
    }

    private static (ClusterConfig, ClusterStatus) Build(
        int nodeCount, int promotedMax, bool stonith, NoQuorumPolicy policy, bool quorate, int stickiness, bool avoid,
        int[] nodeStates, int[] scores, int[] roles, int[] fails)
    {
        var names = Enumerable.Range(1, nodeCount).Select(i => "n" + i).ToArray();
        var dummy = AgentSpec.Parse("ocf:pacemaker:Dummy");
        var primitives = new List<Primitive>
        {
            new("p", AgentSpec.Parse("ocf:pacemaker:Stateful"), Meta: AttributeMap.Of(("migration-threshold", "2"))),
            new("g1", dummy), new("g2", dummy), new("a", dummy), new("b", dummy),
        };
        if (stonith)
        {
            primitives.Add(new Primitive("fd", AgentSpec.Parse("stonith:fence_dummy")));
        }

        var config = new ClusterConfig
        {
            Nodes = [.. names.Select(n => new NodeDefinition(n))],
            Primitives = [.. primitives],
            Groups = [new ResourceGroup("g", ["g1", "g2"])],
            Clones = [new CloneResource("ms", "p", Promotable: true, AttributeMap.Of(("promoted-max", promotedMax.ToString(System.Globalization.CultureInfo.InvariantCulture))))],
            Locations = [new LocationConstraint("a-prefers-n1", "a", new Score(50), "n1")],
            Colocations = [
                new ColocationConstraint("g-with-promoted", Score.Infinity, "g", "ms", WithResourceRole: ResourceRole.Promoted),
                .. avoid ? [new ColocationConstraint("b-avoids-a", Score.MinusInfinity, "b", "a")] : Array.Empty<ColocationConstraint>(),
            ],
            Orders = [new OrderConstraint("g-after-promote", "ms", "g", ResourceAction.Promote, ResourceAction.Start, OrderKind.Mandatory)],
            Properties = new ClusterProperties(StonithEnabled: stonith, NoQuorumPolicy: policy),
            ResourceDefaults = AttributeMap.Of(("resource-stickiness", stickiness.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        };

        // Node state 0-2 online, 3 standby, 4 offline, 5 unclean, 6 pending.
        var nodes = names.Select((n, i) => new NodeStatus(
            n,
            Online: nodeStates[i] <= 3,
            Standby: nodeStates[i] == 3,
            Unclean: nodeStates[i] == 5,
            Pending: nodeStates[i] == 6,
            Attributes: scores[i] < 0 ? default : AttributeMap.Of(("master-p", (scores[i] * 10).ToString(System.Globalization.CultureInfo.InvariantCulture))))).ToList();
        var ids = new[] { "p", "g1", "g2", "a", "b" };
        var resources = ids.Select((id, r) => new ResourceStatus(id, "", [
            .. names.Select((n, i) => (n, role: roles[(r * nodeCount) + i]))
                .Where(x => x.role != 0 && nodeStates[Array.IndexOf(names, x.n)] != 4)
                .Where(x => id == "p" || x.role is 1 or 4)
                .Select(x => new ResourceInstance(x.n, StatusRole(Roles[x.role]))),
        ])).Select(r => r.Id == "p" ? r : r with { Instances = [.. r.Instances.Take(1)] }).ToList();
        var failcounts = names.Select((n, i) => new Failcount("p", n, new Score(fails[i]))).ToList();
        var status = new ClusterStatus { Quorate = quorate, Nodes = [.. nodes], Resources = [.. resources], Failcounts = [.. failcounts] };
        return (config, status);
    }

    private static InstanceRole StatusRole(string name) => Enum.Parse<InstanceRole>(name);
}
