using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Configuration;

public sealed class CibImporterTests
{
    public static TheoryData<string, string> EquivalentPairs => new()
    {
        { "seed-cluster.xml", "seed-cluster.conf" },
        { "mysql-drbd-modern.xml", "mysql-drbd-modern.conf" },
        { "location-rules.xml", "location-rules.conf" },
        { "three-nodes.xml", "three-nodes.conf" },
    };

    public static TheoryData<string> CibFixtures => [.. Fixtures.CibNames];

    [Theory]
    [MemberData(nameof(EquivalentPairs))]
    public void Import_Cib_EqualsTheEquivalentCrmFile(string cib, string crm)
    {
        var fromCib = CibImporter.ImportFile(Fixtures.Cib(cib));
        var fromCrm = CrmParser.ParseFile(Fixtures.Crm(crm)).GetConfigOrThrow();

        Assert.Empty(fromCib.Errors);
        Assert.Equal(fromCrm, fromCib.Config! with { Version = default });
    }

    [Theory]
    [MemberData(nameof(CibFixtures))]
    public void Import_ThenShowThenParse_GivesAnEqualModelWithItsVersion(string cib)
    {
        var config = CibImporter.ImportFile(Fixtures.Cib(cib)).Config!;

        var again = CrmParser.Parse(CrmWriter.Write(config), "shown.crm");

        Assert.NotEqual(default, config.Version);
        Assert.Equal(config, again.GetConfigOrThrow());
    }

    [Fact]
    public void Import_Versions_ComeFromTheCibRoot()
    {
        Assert.Equal(new ConfigVersion(1, 42), CibImporter.ImportFile(Fixtures.Cib("mysql-drbd-modern.xml")).Config!.Version);
        Assert.Equal(new ConfigVersion(0, 7), CibImporter.ImportFile(Fixtures.Cib("seed-cluster.xml")).Config!.Version);
    }

    [Fact]
    public void Import_ModernStatus_ReadsRolesScoresFailcountsAndHistory()
    {
        var status = CibImporter.ImportFile(Fixtures.Cib("mysql-drbd-modern.xml")).Status!;

        Assert.True(status.Quorate);
        Assert.Equal("hadb02", status.Dc);
        Assert.Equal("hacluster", status.Cluster);
        Assert.Equal(
            [new NodeStatus("hadb01", "1", Online: true, Attributes: AttributeMap.Of(("master-drbd_mysql", "10000"))),
             new NodeStatus("hadb02", "2", Online: true, Attributes: AttributeMap.Of(("master-drbd_mysql", "1000")))],
            status.Nodes);
        Assert.Equal(new Score(10000), status.Nodes[0].PromotionScore("drbd_mysql"));
        Assert.Equal(
            [new ResourceInstance("hadb01", InstanceRole.Promoted), new ResourceInstance("hadb02", InstanceRole.Unpromoted)],
            status.FindResource("drbd_mysql")!.Instances);
        Assert.Equal([new ResourceInstance("hadb01", InstanceRole.Started)], status.FindResource("mysqld")!.Instances);
        Assert.Equal(InstanceRole.Stopped, status.RoleOf("mysqld", "hadb02"));
        Assert.Equal(["hadb02"], status.FindResource("st-azure")!.ActiveOn);

        // fail-count-mysqld#monitor_10000=2 and #start_0=1: summed; the later last-failure wins.
        Assert.Equal(
            new Failcount("mysqld", "hadb02", new Score(3), DateTimeOffset.FromUnixTimeSeconds(1736760100)),
            Assert.Single(status.Failcounts));
        Assert.Equal(Score.Zero, status.FailcountOf("mysqld", "hadb01").Count);

        var monitor = status.LastOperation("drbd_mysql", "hadb01", "monitor", Duration.FromSeconds(29))!;
        Assert.Equal((8, 15, 0), (monitor.RcCode, monitor.CallId, monitor.OpStatus));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1736762401), monitor.LastRcChange);
        Assert.Equal(new Duration(40), monitor.ExecTime);
        Assert.Equal(1, status.LastOperation("mysqld", "hadb02", "monitor", Duration.FromSeconds(10))!.RcCode);
    }

    [Fact]
    public void Import_LostNodeAndOrphan_UncleanNodeAndWarning()
    {
        var result = CibImporter.ImportFile(Fixtures.Cib("three-nodes.xml"));
        var status = result.Status!;

        Assert.Equal(
            [(true, false, false), (true, false, false), (false, false, true)],
            status.Nodes.Select(n => (n.Online, n.Standby, n.Unclean)));
        Assert.Equal("alpha", status.Dc);
        Assert.Equal([new ResourceInstance("gamma", InstanceRole.Started)], status.FindResource("svc")!.Instances);
        Assert.Equal(new ResourceStatus("old-thing", "ocf:heartbeat:Dummy", [new ResourceInstance("gamma", InstanceRole.Failed)]), status.Resources[1]);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((68, 12), (warning.Line, warning.Column));
        Assert.Contains("'old-thing'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_WithoutStatus_WhenNotAsked()
    {
        var result = CibImporter.ImportFile(Fixtures.Cib("mysql-drbd-modern.xml"), includeStatus: false);

        Assert.True(result.Succeeded);
        Assert.Null(result.Status);
        Assert.Null(CibImporter.ImportFile(Fixtures.Cib("location-rules.xml")).Status);
    }

    [Theory]
    [InlineData(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE cib [<!ENTITY x \"boom\">]>\n<cib><configuration/></cib>",
        2, 1, "DTD is prohibited")]
    [InlineData("<cib>\n  <configuration>\n</cib>", 3, 3, "not well-formed XML")]
    [InlineData("<status/>", 1, 2, "expected a <cib> document")]
    [InlineData("<cib epoch=\"7\">\n</cib>", 1, 2, "has no <configuration> section")]
    [InlineData("<cib epoch=\"-1\"><configuration/></cib>", 1, 6, "epoch '-1' is not a non-negative integer")]
    public void Import_HostileOrBrokenXml_ErrorWithLineAndColumn(string xml, int line, int column, string message)
    {
        var result = CibImporter.Import(xml, "bad.xml");

        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"bad.xml:{line}:{column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<rsc_colocation id=\"c\" rsc=\"a\" with-rsc=\"b\" score=\"lots\"/>", 7, 45, "score 'lots' is not a score")]
    [InlineData("<rsc_colocation id=\"c\" rsc=\"a\" with-rsc=\"zz\" score=\"INFINITY\"/>", 7, 32, "refers to 'zz', which is not defined")]
    [InlineData("<rsc_order id=\"o\" first=\"a\" then=\"b\" kind=\"Sometimes\"/>", 7, 38, "kind 'Sometimes' is not one of")]
    [InlineData("<rsc_order id=\"o\" first=\"a\" then=\"b\" first-action=\"launch\"/>", 7, 38, "first-action 'launch' is not one of")]
    [InlineData("<rsc_colocation id=\"c\" rsc=\"a\" with-rsc=\"b\" score=\"1\" rsc-role=\"Boss\"/>", 7, 55, "rsc-role 'Boss' is not a role")]
    [InlineData("<rsc_order id=\"o\"><resource_set id=\"s\"/></rsc_order>", 7, 20, "resource sets are not supported")]
    [InlineData("<rsc_location id=\"l\" rsc=\"a\"><rule id=\"r\" score=\"1\"><date_expression id=\"d\" operation=\"in_range\"/></rule></rsc_location>", 7, 54, "date expressions are not supported")]
    [InlineData("<rsc_location id=\"l\" rsc=\"a\"/>", 7, 2, "needs a node and score, or rules")]
    [InlineData("<rsc_location id=\"a\" rsc=\"a\" node=\"n1\" score=\"1\"/>", 7, 15, "duplicate id 'a': already used by the primitive at line 4")]
    public void Import_BadConstraint_ErrorWithLineAndColumn(string constraint, int line, int column, string message)
    {
        var xml = $"""
            <cib epoch="1">
              <configuration>
                <resources>
                  <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>
                  <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"/>
                </resources><constraints>
            {constraint}
                </constraints>
              </configuration>
            </cib>
            """;

        var result = CibImporter.Import(xml, "c.xml");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Import_BadResources_AllErrorsReported()
    {
        var xml = """
            <cib>
              <configuration>
                <resources>
                  <primitive id="p" class="ocf" type="Dummy"/>
                  <primitive id="q" class="ocf" provider="heartbeat" type="Dummy">
                    <meta_attributes id="m"><nvpair id="n" name="target-role" value="Sleeping"/></meta_attributes>
                    <operations><op id="o" name="monitor" interval="ten"/></operations>
                  </primitive>
                  <clone id="c"/>
                  <bundle id="b"/>
                </resources>
              </configuration>
            </cib>
            """;

        var result = CibImporter.Import(xml, "r.xml");

        Assert.Null(result.Config);
        Assert.Equal(
            [
                (4, 25, "primitive 'p': 'ocf:Dummy': an OCF agent is written ocf:provider:type"),
                (7, 47, "interval 'ten' is not a duration (e.g. 30s, 5min, 1h, 500ms; plain numbers are seconds)"),
                (6, 67, "target-role 'Sleeping' is not a role (Stopped, Started, Unpromoted, Promoted (or the old names Slave, Master))"),
                (9, 8, "clone 'c' must hold exactly one primitive or group, found 0"),
                (10, 8, "<bundle> resources are not supported by clusterd"),
            ],
            result.Errors.Select(e => (e.Line, e.Column, e.Message)));
    }
}
