using System.Text.Json;
using ClusterD.Cli.Tests.TestSupport;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Cli.Tests.Commands;

/// <summary><c>clusterctl configure validate|show|import-cib</c> through the real root command, on files.</summary>
public sealed class ConfigureCommandTests : IDisposable
{
    private const string Config = """
        node 1: hadb01
        node 2: hadb02
        primitive drbd_mysql ocf:linbit:drbd params drbd_resource=r0 \
            op monitor interval=29s role=Master op monitor interval=31s role=Slave
        ms ms_drbd_mysql drbd_mysql meta master-max=1 clone-max=2
        primitive fs_mysql ocf:heartbeat:Filesystem params device=/dev/drbd1 directory=/var/lib/mysql fstype=ext3
        primitive mysqld lsb:mysql
        group mysql fs_mysql mysqld
        colocation mysql_on_drbd inf: mysql ms_drbd_mysql:Master
        order mysql_after_drbd inf: ms_drbd_mysql:promote mysql:start
        property stonith-enabled=false
        """;

    private const string Cib = """
        <cib admin_epoch="0" epoch="7" num_updates="0" validate-with="pacemaker-3.9" crm_feature_set="3.19.0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="cib-bootstrap-options">
              <nvpair id="o1" name="stonith-enabled" value="false"/>
            </cluster_property_set></crm_config>
            <nodes><node id="1" uname="hadb01"/><node id="2" uname="hadb02"/></nodes>
            <resources>
              <primitive id="p" class="ocf" provider="heartbeat" type="Dummy">
                <operations><op id="p-mon" name="monitor" interval="10s"/></operations>
              </primitive>
            </resources>
            <constraints><rsc_location id="prefer" rsc="p" node="hadb01" score="100"/></constraints>
          </configuration>
          <status>
            <node_state id="1" uname="hadb01" in_ccm="true" crmd="online" join="member" expected="member"/>
            <node_state id="2" uname="hadb02" in_ccm="false" crmd="offline" join="down" expected="down"/>
          </status>
        </cib>
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-configure-");
    private readonly CliHarness _cli = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Validate_GoodFile_SummarisesAndExitsZero()
    {
        var run = await _cli.RunAsync(["configure", "validate", Write("ok.crm", Config)], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("valid: 3 primitives, 1 groups, 1 clones, 2 constraints", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadFile_ReportsFileLineColumnAndExitsOne()
    {
        var file = Write("bad.crm", "primitive p ocf:heartbeat:Dummy \\\n    op monitor interval=soon\n");

        var text = await _cli.RunAsync(["configure", "validate", file], Ct);
        var json = await _cli.RunAsync(["configure", "validate", file, "--json"], Ct);

        Assert.Equal(1, text.ExitCode);
        Assert.Contains($"{file}:2:", text.Error, StringComparison.Ordinal);
        Assert.Contains("'soon' is not a duration", text.Error, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        Assert.False(document.RootElement.GetProperty("valid").GetBoolean());
        var error = document.RootElement.GetProperty("errors")[0];
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.True(error.GetProperty("column").GetInt32() > 1);
    }

    [Fact]
    public async Task Show_PrintsCanonicalCrmThatParsesToTheSameModel()
    {
        var file = Write("in.crm", Config);

        var run = await _cli.RunAsync(["configure", "show", file], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("clone ms_drbd_mysql drbd_mysql", run.Out, StringComparison.Ordinal);
        Assert.Contains("ms_drbd_mysql:Promoted", run.Out, StringComparison.Ordinal);
        var original = CrmParser.Parse(Config, "in.crm").GetConfigOrThrow();
        var shown = CrmParser.Parse(run.Out, "shown.crm").GetConfigOrThrow();
        Assert.Equal(original, shown);
    }

    [Fact]
    public async Task Show_Json_PrintsTheModel()
    {
        var run = await _cli.RunAsync(["configure", "show", Write("in.crm", Config), "--json"], Ct);

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(3, document.RootElement.GetProperty("primitives").GetArrayLength());
    }

    [Fact]
    public async Task Show_WithoutFileAndNoDaemon_DaemonUnreachable()
    {
        _cli.Environment["CLUSTERD_SOCKET"] = Path.Combine(_dir.FullName, "no.sock");

        var run = await _cli.RunAsync(["configure", "show"], Ct);

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains("no.sock", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCib_PrintsCrmAndWritesTheStatusSimulateReads()
    {
        var statusOut = Path.Combine(_dir.FullName, "status.json");

        var run = await _cli.RunAsync(["configure", "import-cib", Write("cib.xml", Cib), "--status-out", statusOut], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("primitive p ocf:heartbeat:Dummy", run.Out, StringComparison.Ordinal);
        Assert.Contains("location prefer p 100: hadb01", run.Out, StringComparison.Ordinal);
        using var status = JsonDocument.Parse(File.ReadAllText(statusOut));
        var nodes = status.RootElement.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("online").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["hadb01"] = true, ["hadb02"] = false }, nodes);

        var simulate = await _cli.RunAsync(["simulate", "--config", Write("shown.crm", run.Out), "--status", statusOut, "--json"], Ct);
        Assert.Equal(0, simulate.ExitCode);
        Assert.True(simulate.Out.Contains("\"start:p@hadb01\"", StringComparison.Ordinal), simulate.Out + simulate.Error);
    }

    [Fact]
    public async Task ImportCib_CrmFile_IsRefused()
    {
        var run = await _cli.RunAsync(["configure", "import-cib", Write("in.crm", Config)], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a CIB", run.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
