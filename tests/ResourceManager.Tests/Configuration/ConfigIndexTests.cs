using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

public sealed class ConfigIndexTests
{
    private static readonly ConfigIndex Index = new(CrmParser.ParseFile(Fixtures.Crm("mysql-drbd-modern.conf")).GetConfigOrThrow());

    [Fact]
    public void Lookups_ResolveParentsAndKinds()
    {
        Assert.IsType<CloneResource>(Index.FindResource("ms_drbd_mysql"));
        Assert.Equal("mysql", Index.ParentOf("fs_mysql")!.Id);
        Assert.Equal("ms_drbd_mysql", Index.ParentOf("drbd_mysql")!.Id);
        Assert.Null(Index.ParentOf("mysql"));
        Assert.Equal("ms_drbd_mysql", Index.CloneOf("drbd_mysql")!.Id);
        Assert.Null(Index.CloneOf("mysqld"));
        Assert.True(Index.IsPromotable("drbd_mysql"));
        Assert.True(Index.IsPromotable("ms_drbd_mysql"));
        Assert.False(Index.IsPromotable("mysql"));
        Assert.Equal(["fs_mysql", "mysqld"], Index.PrimitivesOf("mysql").Select(p => p.Id));
        Assert.Equal(["drbd_mysql"], Index.PrimitivesOf("ms_drbd_mysql").Select(p => p.Id));
        Assert.Equal(["ms_drbd_mysql", "mysql", "st-azure"], Index.TopLevel.Select(r => r.Id)); // source order
        Assert.Equal("1", Index.FindNode("hadb01")!.Id);
        Assert.Null(Index.FindResource("nope"));
    }

    [Fact]
    public void EffectiveMeta_DefaultsThenParentsThenOwn()
    {
        var meta = Index.EffectiveMeta("mysqld");

        Assert.Equal(AttributeMap.Of(("resource-stickiness", "200"), ("migration-threshold", "3"), ("failure-timeout", "120s")), meta);
        var options = ResourceMeta.From(meta);
        Assert.Equal(new Score(200), options.ResourceStickiness);
        Assert.Equal(new Score(3), options.MigrationThreshold);
        Assert.Equal(Duration.FromSeconds(120), options.FailureTimeout);
        Assert.Null(options.TargetRole);
    }

    [Fact]
    public void ResourceMeta_TypedValuesFromTheSystemdFixture()
    {
        var config = CrmParser.ParseFile(Fixtures.Crm("systemd-stonith.conf")).GetConfigOrThrow();
        var mariadb = config.Primitives.Single(p => p.Id == "mariadb");

        Assert.Equal(
            new ResourceMeta(ResourceRole.Stopped, false, Score.Infinity, new Score(3), Duration.FromSeconds(120), new Score(10), null),
            mariadb.Options);
        Assert.Equal(
            [OnFailPolicy.Restart, OnFailPolicy.Fence, OnFailPolicy.Standby],
            mariadb.Operations.Select(o => o.OnFail!.Value));
        Assert.Equal(Duration.FromSeconds(20), mariadb.RecurringOperations.Single().Interval);
        Assert.Equal(Duration.FromSeconds(120), mariadb.FindOperation("stop")!.Timeout);
        Assert.True(config.Primitives.Single(p => p.Id == "cron").Options.Maintenance);
        Assert.True(config.Properties.StonithEnabled);
    }
}
