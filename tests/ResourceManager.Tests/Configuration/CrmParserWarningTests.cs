using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>What is accepted but reported: the configuration is still returned.</summary>
public sealed class CrmParserWarningTests
{
    public static TheoryData<string, int, int, string> Cases => new()
    {
        { "property shiny=yes", 1, 10, "unknown cluster property 'shiny': kept, but clusterd does not use it" },
        { "property no-quorum-policy=stop\nproperty no-quorum-policy=freeze", 2, 10, "property 'no-quorum-policy' is set again (first at line 1); the later value 'freeze' wins" },
        { "rsc_defaults resource-stickiness=1\nrsc_defaults resource-stickiness=2", 2, 14, "rsc_defaults 'resource-stickiness' is set again (first at line 1)" },
        { "primitive a ocf:heartbeat:Dummy\nprimitive b ocf:heartbeat:Dummy\ncolocation c inf: a b:Promoted", 3, 21, "colocation 'c' uses role Promoted on 'b', which is not promotable; that part never matches" },
        { "primitive a ocf:heartbeat:Dummy\nprimitive b ocf:heartbeat:Dummy\norder o a:promote b", 3, 9, "order 'o' orders 'a:promote', but 'a' is not promotable" },
        { "primitive a ocf:heartbeat:Dummy\nclone c a\nlocation l a 10: n1", 3, 12, "location 'l' refers to 'a', which is inside clone 'c'; constraints should name the clone" },
        { "primitive a ocf:heartbeat:Dummy op frobnicate interval=0", 1, 36, "operation 'frobnicate' in primitive 'a' is not one clusterd schedules" },
        { "tag t a b", 1, 1, "'tag' statements are ignored by clusterd" },
        { "node n1:ping", 1, 9, "node type 'ping' is ignored" },
        { "primitive a ocf:heartbeat:Dummy\nms m a meta promotable=false", 2, 1, "ms 'm' sets promotable=false, but 'ms' is always promotable" },
        { "primitive a ocf:heartbeat:Dummy \\\n\nprimitive b ocf:heartbeat:Dummy", 1, 0, "line 1 ends in '\\' but line 2 is empty; the statement ends at line 1" },
        { "# clusterd: epoch=5", 1, 1, "'# clusterd:' comment not understood" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_Warning_AtLineAndColumn_ConfigStillReturned(string text, int line, int column, string message)
    {
        var result = CrmParser.Parse(text + "\n", "warn.crm");

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Config);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains(message, warning.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (warning.Line, warning.Column));
    }

    [Fact]
    public void Parse_PropertySetTwice_LaterValueWins()
    {
        var config = CrmParser.Parse("property stonith-enabled=false\nproperty fencing-enabled=true\n").GetConfigOrThrow();

        Assert.True(config.Properties.StonithEnabled);
    }

    [Fact]
    public void Parse_VersionComment_SetsTheVersion()
    {
        var config = CrmParser.Parse("# clusterd: admin_epoch=3 epoch=41\nprimitive a lsb:x\n").GetConfigOrThrow();

        Assert.Equal(new ConfigVersion(3, 41), config.Version);
        Assert.StartsWith("# clusterd: admin_epoch=3 epoch=41\n", CrmWriter.Write(config), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownPropertyIsKept_AndWrittenBack()
    {
        var config = CrmParser.Parse("property shiny=yes dc-version=2.1.5\n").GetConfigOrThrow();

        Assert.Equal(AttributeMap.Of(("shiny", "yes"), ("dc-version", "2.1.5")), config.Properties.Other);
        Assert.Equal("property shiny=yes \\\n\tdc-version=2.1.5\n", CrmWriter.Write(config));
    }
}
