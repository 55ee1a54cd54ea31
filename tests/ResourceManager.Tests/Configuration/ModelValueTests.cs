using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>Roles, agents, attribute maps and structural equality of the model.</summary>
public sealed class ModelValueTests
{
    [Theory]
    [InlineData("Master", ResourceRole.Promoted)]
    [InlineData("master", ResourceRole.Promoted)]
    [InlineData("Promoted", ResourceRole.Promoted)]
    [InlineData("Slave", ResourceRole.Unpromoted)]
    [InlineData("Unpromoted", ResourceRole.Unpromoted)]
    [InlineData("Started", ResourceRole.Started)]
    [InlineData("stopped", ResourceRole.Stopped)]
    public void Roles_OldAndNewNames(string text, ResourceRole role)
    {
        Assert.True(ResourceRoles.TryParse(text, out var parsed));
        Assert.Equal(role, parsed);
        Assert.False(ResourceRoles.TryParse("Boss", out _));
        Assert.Equal("Promoted", ResourceRoles.Name(ResourceRole.Promoted));
    }

    [Theory]
    [InlineData("ocf:linbit:drbd", "ocf", "linbit", "drbd")]
    [InlineData("lsb:mysql", "lsb", null, "mysql")]
    [InlineData("systemd:mariadb", "systemd", null, "mariadb")]
    [InlineData("systemd:getty@tty1", "systemd", null, "getty@tty1")]
    [InlineData("stonith:fence_azure_arm", "stonith", null, "fence_azure_arm")]
    [InlineData("stonith:external/azure", "stonith", null, "external/azure")]
    [InlineData("service:cron", "service", null, "cron")]
    public void Agent_ParsesAndPrintsBack(string text, string cls, string? provider, string type)
    {
        var agent = AgentSpec.Parse(text);

        Assert.Equal(new AgentSpec(cls, provider, type), agent);
        Assert.Equal(text, agent.ToString());
    }

    [Theory]
    [InlineData("ocf:Dummy")]
    [InlineData("lsb:a:b")]
    [InlineData("foo:bar")]
    [InlineData("ocf:heartbeat:")]
    [InlineData("lsb:my sql")]
    public void Agent_Invalid_IsRefused(string text)
    {
        Assert.False(AgentSpec.TryParse(text, out _, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void AttributeMap_EqualRegardlessOfOrder_KeepsWrittenOrder()
    {
        var a = AttributeMap.Of(("x", "1"), ("y", "2"));
        var b = AttributeMap.Of(("y", "2"), ("x", "1"));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, AttributeMap.Of(("x", "1"), ("y", "3")));
        Assert.NotEqual(a, AttributeMap.Of(("x", "1")));
        Assert.Equal(["y", "x"], b.Keys);
        Assert.Equal(AttributeMap.Empty, default);
        Assert.Equal(AttributeMap.Of(("x", "9"), ("y", "2"), ("z", "3")), a.Merge(AttributeMap.Of(("z", "3"), ("x", "9"))));
        Assert.Equal(["x", "y", "z"], a.Merge(AttributeMap.Of(("z", "3"), ("x", "9"))).Keys);
        Assert.Equal(AttributeMap.Of(("y", "2")), a.Remove("x"));
        Assert.Throws<ArgumentException>(() => AttributeMap.Of(("x", "1"), ("x", "2")));
    }

    [Fact]
    public void Records_CompareByValue_IncludingArrays()
    {
        Primitive Make() => new("p", AgentSpec.Parse("ocf:heartbeat:Dummy"), AttributeMap.Of(("a", "1")),
            Operations: [new Operation("monitor", Duration.FromSeconds(10), Role: ResourceRole.Promoted)]);

        Assert.Equal(Make(), Make());
        Assert.NotEqual(Make(), Make() with { Operations = [new Operation("monitor", Duration.FromSeconds(11))] });
        Assert.Equal(new ClusterConfig { Primitives = [Make()] }, new ClusterConfig { Primitives = [Make()] });
        Assert.Equal(ClusterConfig.Empty, new ClusterConfig());
        Assert.NotEqual(new ClusterConfig { Version = new ConfigVersion(0, 1) }, ClusterConfig.Empty);
    }

    [Fact]
    public void Version_AdminEpochFirst()
    {
        Assert.True(new ConfigVersion(1, 0) > new ConfigVersion(0, 99));
        Assert.True(new ConfigVersion(0, 5) < new ConfigVersion(0, 6));
        Assert.Equal(new ConfigVersion(2, 8), new ConfigVersion(2, 7).Next());
    }

    [Fact]
    public void Order_EffectiveDefaults_FollowPacemaker()
    {
        var plain = new OrderConstraint("o", "a", "b");
        Assert.Equal((ResourceAction.Start, ResourceAction.Start, OrderKind.Mandatory, true),
            (plain.EffectiveFirstAction, plain.EffectiveThenAction, plain.EffectiveKind, plain.IsSymmetrical));

        var promote = plain with { FirstAction = ResourceAction.Promote };
        Assert.Equal(ResourceAction.Promote, promote.EffectiveThenAction);
        Assert.Equal(OrderKind.Optional, (plain with { Score = Score.Zero }).EffectiveKind);
        Assert.Equal(OrderKind.Mandatory, (plain with { Score = new Score(5) }).EffectiveKind);
        Assert.False((plain with { Kind = OrderKind.Serialize }).IsSymmetrical);
        Assert.False((plain with { Symmetrical = false }).IsSymmetrical);
    }

    [Fact]
    public void Properties_DefaultsWhenUnset()
    {
        var p = ClusterProperties.Empty;

        Assert.True(p.IsStonithEnabled);
        Assert.Equal(NoQuorumPolicy.Stop, p.EffectiveNoQuorumPolicy);
        Assert.True(p.IsSymmetricCluster);
        Assert.False(p.IsMaintenanceMode);
        Assert.Equal(Duration.Zero, p.EffectivePriorityFencingDelay);
    }
}
