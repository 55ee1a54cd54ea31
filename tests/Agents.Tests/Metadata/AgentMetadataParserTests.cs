using ClusterD.Agents.Metadata;

namespace ClusterD.Agents.Tests.Metadata;

public sealed class AgentMetadataParserTests
{
    private const string Minimal = """
        <?xml version="1.0"?>
        <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
        <resource-agent name="demo" version="2.0">
        <shortdesc lang="de">Beispiel</shortdesc>
        <shortdesc lang="en">  Demo
           agent </shortdesc>
        <parameters>
        <parameter name="port" required="1" unique="1"><content type="integer" /></parameter>
        <parameter name="mode"><content type="select" default="fast"><option value="fast"/><option value="safe"/></content></parameter>
        <parameter name="old"><deprecated/><content type="string"/></parameter>
        </parameters>
        <actions>
        <action name="start" timeout="20s" />
        <action name="stop" timeout="2min" />
        <action name="monitor" timeout="20" interval="10s" depth="10" role="Promoted" />
        </actions>
        </resource-agent>
        """;

    [Fact]
    public void Parse_WellFormed_ReadsParametersActionsAndEnglishText()
    {
        var metadata = AgentMetadataParser.Parse(Minimal);

        Assert.Equal("demo", metadata.Name);
        Assert.Equal("2.0", metadata.Version);
        Assert.Equal("Demo agent", metadata.ShortDescription);
        Assert.Empty(metadata.Warnings);
        var port = metadata.Parameter("port")!;
        Assert.True(port.Required);
        Assert.True(port.Unique);
        Assert.Equal("integer", port.Type);
        Assert.Equal(["fast", "safe"], metadata.Parameter("mode")!.Options);
        Assert.Equal("fast", metadata.Parameter("mode")!.Default);
        Assert.True(metadata.Parameter("old")!.Deprecated);
        Assert.Equal(TimeSpan.FromMinutes(2), metadata.DefaultTimeout(AgentAction.Stop));
        var monitor = metadata.Actions.Single(a => a.Name == "monitor");
        Assert.Equal(TimeSpan.FromSeconds(20), monitor.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), monitor.Interval);
        Assert.Equal(10, monitor.Depth);
        Assert.Equal("Promoted", monitor.Role);
    }

    [Fact]
    public void Parse_OddContent_WarnsButKeepsGoing()
    {
        var metadata = AgentMetadataParser.Parse("""
            <resource-agent>
            <parameters>
            <parameter name="a" required="yes"><content type="string"/></parameter>
            <parameter name="a"><content type="string"/></parameter>
            <parameter><content type="string"/></parameter>
            <parameter name="b" unique="maybe"/>
            <surprise/>
            </parameters>
            <actions><action name="start" timeout="soon"/><action/></actions>
            </resource-agent>
            """);

        Assert.Equal(["a", "b"], metadata.Parameters.Select(p => p.Name));
        Assert.True(metadata.Parameter("a")!.Required);
        Assert.False(metadata.Parameter("b")!.Unique);
        Assert.Null(metadata.DefaultTimeout(AgentAction.Start));
        Assert.Equal(
            [
                "<resource-agent> has no name",
                "parameter 'a': required=\"yes\" read as 1",
                "parameter 'a' is declared twice; the first declaration is used",
                "ignored a parameter with no name",
                "parameter 'b' has no <content>; taken as a string",
                "parameter 'b': unreadable unique=\"maybe\", taken as 0",
                "ignored <surprise> inside <parameters>",
                "action 'start': unreadable timeout 'soon'",
                "ignored an <action> with no name",
                "declares no 'stop' action",
                "declares no 'monitor' action",
            ],
            metadata.Warnings);
    }

    [Fact]
    public void Parse_NoiseBeforeTheXml_IsSkippedWithAWarning()
    {
        var metadata = AgentMetadataParser.Parse("WARNING: tool missing\n" + Minimal);

        Assert.Equal("demo", metadata.Name);
        Assert.Equal(["ignored text before the XML: WARNING: tool missing"], metadata.Warnings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<resource-agent name='x'>")]
    public void TryParse_NotXml_FailsWithReason(string xml)
    {
        Assert.False(AgentMetadataParser.TryParse(xml, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Parse_EntityExpansionBomb_IsNotExpanded()
    {
        var bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
            <resource-agent name="x"><shortdesc>&d;&d;&d;&d;</shortdesc></resource-agent>
            """;

        // With the DTD ignored the entities are undeclared: the document is refused, never expanded.
        Assert.False(AgentMetadataParser.TryParse(bomb, out _, out var error));
        Assert.Contains("not well-formed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExternalEntity_IsNeverFetched()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"clusterd-secret-{Guid.NewGuid():N}");
        File.WriteAllText(secret, "TOPSECRET");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>
                <resource-agent name="x"><shortdesc>&x;</shortdesc></resource-agent>
                """;

            var parsed = AgentMetadataParser.TryParse(xml, out var metadata, out _);

            Assert.False(parsed && (metadata!.ShortDescription ?? "").Contains("TOPSECRET", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Parse_Oversized_IsRefused()
    {
        var huge = "<resource-agent name='x'><longdesc>" + new string('x', AgentMetadataParser.MaxDocumentBytes) + "</longdesc></resource-agent>";

        Assert.False(AgentMetadataParser.TryParse(huge, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("20s", 20_000)]
    [InlineData("20", 20_000)]
    [InlineData("90000ms", 90_000)]
    [InlineData("2min", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData(" 1.5s ", 1_500)]
    [InlineData("500us", 0.5)]
    public void OcfDuration_ReadsPacemakerUnits(string text, double milliseconds)
    {
        Assert.True(OcfDuration.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("5 fortnights")]
    [InlineData("99999999999999999h")]
    public void OcfDuration_Garbage_IsRefused(string text) => Assert.False(OcfDuration.TryParse(text, out _));
}
