using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>The user's crm configuration from the seed, read exactly as published.</summary>
public sealed class SeedConfigTests
{
    [Fact]
    public void Parse_SeedClusterConf_ReadsTheWholeStack()
    {
        var result = CrmParser.ParseFile(Fixtures.Crm("seed-cluster.conf"));

        Assert.Empty(result.Errors);
        var config = result.GetConfigOrThrow();

        var drbd = Assert.Single(config.Primitives, p => p.Id == "drbd_mysql");
        Assert.Equal(new AgentSpec("ocf", "linbit", "drbd"), drbd.Agent);
        Assert.Equal(AttributeMap.Of(("drbd_resource", "r0")), drbd.Params);
        Assert.Equal(
            [
                new Operation("monitor", Duration.FromSeconds(29), Role: ResourceRole.Promoted),
                new Operation("monitor", Duration.FromSeconds(31), Role: ResourceRole.Unpromoted),
            ],
            drbd.Operations);

        var ms = Assert.Single(config.Clones);
        Assert.Equal("ms_drbd_mysql", ms.Id);
        Assert.Equal("drbd_mysql", ms.Child);
        Assert.True(ms.Promotable);
        Assert.Equal(AttributeMap.Of(("promoted-max", "1"), ("promoted-node-max", "1"), ("clone-max", "2"), ("clone-node-max", "1")), ms.Meta);
        Assert.Equal((2, 1, 1, 1), (ms.CloneMax!.Value, ms.CloneNodeMax, ms.PromotedMax, ms.PromotedNodeMax));

        var fs = Assert.Single(config.Primitives, p => p.Id == "fs_mysql");
        Assert.Equal("ocf:heartbeat:Filesystem", fs.Agent.ToString());
        Assert.Equal(
            AttributeMap.Of(("device", "/dev/drbd/by-res/r0"), ("directory", "/var/lib/mysql"), ("fstype", "ext3")),
            fs.Params);
        Assert.Equal(new AgentSpec("lsb", null, "mysql"), Assert.Single(config.Primitives, p => p.Id == "mysqld").Agent);

        Assert.Equal(new ResourceGroup("mysql", ["fs_mysql", "mysqld"]), Assert.Single(config.Groups));
        Assert.Equal(
            new ColocationConstraint("mysql_on_drbd", Score.Infinity, "mysql", "ms_drbd_mysql", WithResourceRole: ResourceRole.Promoted),
            Assert.Single(config.Colocations));
        var order = Assert.Single(config.Orders);
        Assert.Equal(
            new OrderConstraint("mysql_after_drbd", "ms_drbd_mysql", "mysql", ResourceAction.Promote, ResourceAction.Start, Score: Score.Infinity),
            order);
        Assert.Equal(OrderKind.Mandatory, order.EffectiveKind);
        Assert.False(config.Properties.IsStonithEnabled);
        Assert.Equal(NoQuorumPolicy.Ignore, config.Properties.NoQuorumPolicy);
    }

    [Fact]
    public void Parse_SeedClusterConf_WarnsAboutTheDanglingBackslashOfTheMsStatement()
    {
        var result = CrmParser.ParseFile(Fixtures.Crm("seed-cluster.conf"));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(7, warning.Line);
        Assert.Equal(
            "line 7 ends in '\\' but line 8 starts a new 'primitive' statement; the statement ends at line 7",
            warning.Message);
        Assert.EndsWith("seed-cluster.conf:7: " + warning.Message, warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeedNodesWithoutBackslash_ReadsAttributesWithWarnings()
    {
        var result = CrmParser.ParseFile(Fixtures.Crm("seed-nodes.conf"));

        var config = result.GetConfigOrThrow();
        Assert.Equal(
            [
                new NodeDefinition("hadb01", "1", AttributeMap.Of(("standby", "off"))),
                new NodeDefinition("hadb02", "2", AttributeMap.Of(("standby", "off"))),
            ],
            config.Nodes);
        Assert.False(config.Nodes[0].Standby);
        Assert.Equal([(2, 3), (4, 3)], result.Warnings.Select(w => (w.Line, w.Column)));
        Assert.All(result.Warnings, w => Assert.Contains("does not end in '\\'", w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeedStonithAdditions_SplitsTheRunTogetherStatements()
    {
        var result = CrmParser.ParseFile(Fixtures.Crm("seed-stonith-additions.conf"));

        var config = result.GetConfigOrThrow();
        var st = Assert.Single(config.Primitives);
        Assert.Equal(new Primitive("st-azure", new AgentSpec("stonith", null, "external/azure"), AttributeMap.Of(("hostlist", "hadb01 hadb02"))), st);
        Assert.True(st.Agent.IsStonith);
        Assert.Equal(new CloneResource("fencing", "st-azure"), Assert.Single(config.Clones));
        Assert.True(config.Properties.StonithEnabled);
        Assert.Equal([2, 3, 4], result.Warnings.Select(w => w.Line));
        Assert.Contains("starts a new 'clone' statement", result.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("starts a new 'property' statement", result.Warnings[1].Message, StringComparison.Ordinal);
        Assert.Equal("line 4 ends in '\\' at the end of the file", result.Warnings[2].Message);
    }
}
