using ClusterD.Fencing.Policy;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Fencing.Tests.Policy;

/// <summary>The seed's stack (DRBD promoted on one node, the MySQL group with it) in a two-node fence race.</summary>
public sealed class FenceDelayPolicyTests
{
    private const string Stack = """
        node node1
        node node2
        primitive drbd ocf:linbit:drbd params drbd_resource=r0
        ms ms_drbd drbd meta master-max=1 clone-max=2
        primitive fs ocf:heartbeat:Filesystem params device=/dev/drbd0 directory=/var/lib/mysql fstype=ext3
        primitive mysqld lsb:mysql
        group mysql fs mysqld
        colocation mysql_on_drbd inf: mysql ms_drbd:Promoted
        order mysql_after_drbd inf: ms_drbd:promote mysql:start
        primitive st stonith:fence_azure_arm params pcmk_host_map="node1:vm1;node2:vm2"
        """;

    private static ClusterConfig Config(string extra = "") => CrmParser.Parse(Stack + "\n" + extra).GetConfigOrThrow();

    /// <summary>Seen from <paramref name="here"/> after losing the others: the promoted side is <paramref name="promotedOn"/>.</summary>
    private static ClusterStatus Partition(string here, string promotedOn, InstanceRole promotedRole = InstanceRole.Promoted, params string[] others)
    {
        string[] all = ["node1", "node2", .. others];
        var unpromotedOn = all.First(n => n != promotedOn);
        return new ClusterStatus
        {
            Quorate = true,
            Nodes = [.. all.Select(n => new NodeStatus(n, Online: n == here, Unclean: n != here))],
            Resources =
            [
                new ResourceStatus("drbd", "ocf:linbit:drbd", [new ResourceInstance(promotedOn, promotedRole), new ResourceInstance(unpromotedOn, InstanceRole.Unpromoted)]),
                new ResourceStatus("fs", "ocf:heartbeat:Filesystem", [new ResourceInstance(promotedOn, InstanceRole.Started)]),
                new ResourceStatus("mysqld", "lsb:mysql", [new ResourceInstance(promotedOn, InstanceRole.Started)]),
            ],
        };
    }

    [Fact]
    public void DelayFor_NotConfigured_DelaysFencingThePromotedNodeByTheDefault()
    {
        var config = Config();

        Assert.Equal(TimeSpan.FromSeconds(15), FenceDelayPolicy.DefaultDelay);
        Assert.Equal(FenceDelayPolicy.DefaultDelay, FenceDelayPolicy.DelayFor(config, Partition(here: "node1", promotedOn: "node2"), "node2"));
    }

    [Fact]
    public void DelayFor_NotConfigured_FencesTheUnpromotedNodeAtOnce() =>
        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(Config(), Partition(here: "node2", promotedOn: "node2"), "node1"));

    [Fact]
    public void DelayFor_ExplicitZero_TurnsItOff() =>
        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(Config("property priority-fencing-delay=0"), Partition("node1", "node2"), "node2"));

    [Fact]
    public void DelayFor_Configured_UsesTheConfiguredValue() =>
        Assert.Equal(TimeSpan.FromSeconds(3), FenceDelayPolicy.DelayFor(Config("property priority-fencing-delay=3s"), Partition("node1", "node2"), "node2"));

    [Fact]
    public void DelayFor_TargetOnlineInOurPartition_NoDelay()
    {
        var status = Partition("node1", "node2");
        status = status with { Nodes = [.. status.Nodes.Select(n => n with { Online = true })] };

        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(Config(), status, "node2"));
    }

    [Fact]
    public void DelayFor_UnknownTarget_NoDelay() =>
        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(Config(), Partition("node1", "node2"), "node9"));

    [Fact]
    public void DelayFor_ExactlyHalfOnline_StillDelays()
    {
        // Four nodes, two here: online (2) is not more than half (2), so this side may be racing.
        var status = Partition("node1", "node2", InstanceRole.Promoted, "node3", "node4");
        status = status with { Nodes = [.. status.Nodes.Select(n => n.Name == "node3" ? n with { Online = true, Unclean = false } : n)] };

        Assert.Equal(FenceDelayPolicy.DefaultDelay, FenceDelayPolicy.DelayFor(Config("node node3\nnode node4"), status, "node2"));
    }

    [Fact]
    public void DelayFor_MajorityOnline_NoDelay()
    {
        // Three nodes, two here: a majority does not race, it fences at once.
        var status = Partition("node1", "node2", InstanceRole.Promoted, "node3");
        status = status with { Nodes = [.. status.Nodes.Select(n => n.Name == "node3" ? n with { Online = true, Unclean = false } : n)] };

        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(Config("node node3"), status, "node2"));
    }

    [Fact]
    public void DelayFor_EqualPriorities_NoDelay()
    {
        // Nothing promoted, no priorities: every node counts 0, pcmk_delay_* alone decide.
        var status = Partition("node1", "node2", InstanceRole.Unpromoted);

        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(Config(), status, "node2"));
    }

    [Fact]
    public void DelayFor_FailedPromotedInstance_CountsNothing()
    {
        var status = Partition("node1", "node2", InstanceRole.Failed);

        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(Config(), status, "node2"));
    }

    [Fact]
    public void NodePriorities_PacemakerPriorities_SumTheInheritedPriorityPlusOneForPromoted()
    {
        var config = Config("rsc_defaults priority=1\nprimitive other ocf:heartbeat:Dummy meta priority=10");
        var config2 = config with { Primitives = [.. config.Primitives.Select(p => p.Id == "mysqld" ? p with { Meta = AttributeMap.Of(("priority", "10")) } : p)] };

        var priorities = FenceDelayPolicy.NodePriorities(config2, Partition("node1", "node2"));

        // node2: drbd promoted 1+1, fs 1, mysqld 10; node1: drbd unpromoted 1.
        Assert.Equal(13, priorities["node2"]);
        Assert.Equal(1, priorities["node1"]);
    }

    [Fact]
    public void NodePriorities_PromotedWithPriorityZero_CountsOne()
    {
        var priorities = FenceDelayPolicy.NodePriorities(Config(), Partition("node1", "node2"));

        Assert.Equal(1, priorities["node2"]);
        Assert.Equal(0, priorities["node1"]);
    }

    [Fact]
    public void DelayFor_HigherPriorityOnTheUnpromotedSide_DelaysThatSideInstead()
    {
        // The unpromoted node1 runs something with priority 5: node1 (5) outranks node2 (promoted, 1).
        var config = Config("primitive batch ocf:heartbeat:Dummy meta priority=5");
        var status = Partition("node2", "node2");
        status = status with { Resources = [.. status.Resources, new ResourceStatus("batch", "ocf:heartbeat:Dummy", [new ResourceInstance("node1", InstanceRole.Started)])] };

        Assert.Equal(FenceDelayPolicy.DefaultDelay, FenceDelayPolicy.DelayFor(config, status, "node1"));
        Assert.Equal(TimeSpan.Zero, FenceDelayPolicy.DelayFor(config, Partition("node1", "node2") with { Resources = status.Resources }, "node2"));
    }

    [Theory]
    [InlineData("ip=10.0.0.1", 15_000)]
    [InlineData("pcmk_delay_max=7s", 15_000)]
    [InlineData("pcmk_delay_max=7500ms", 15_000)]
    [InlineData("pcmk_delay_max=7501ms", 15_002)]
    [InlineData("pcmk_delay_base=10s", 20_000)]
    [InlineData("pcmk_delay_base=\"node1:1s;node2:9s\"", 18_000)]
    public void EffectiveDelay_NotConfigured_IsTheDefaultOrTwiceTheLargestDeviceDelay(string deviceParams, long expectedMs)
    {
        var config = CrmParser.Parse($"primitive st stonith:fence_dummy params {deviceParams}").GetConfigOrThrow();

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), FenceDelayPolicy.EffectiveDelay(config));
    }

    [Fact]
    public void EffectiveDelay_Configured_WinsEvenBelowTheDeviceDelays()
    {
        var config = CrmParser.Parse("primitive st stonith:fence_dummy params pcmk_delay_max=30s\nproperty priority-fencing-delay=5s").GetConfigOrThrow();

        Assert.Equal(TimeSpan.FromSeconds(5), FenceDelayPolicy.EffectiveDelay(config));
    }
}
