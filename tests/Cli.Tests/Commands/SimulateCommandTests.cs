using System.Text.Json;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Commands;

/// <summary><c>clusterctl simulate</c> through the real root command, on files in a temporary directory.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    // The user's configuration exactly as the seed publishes it, dangling backslash included.
    private const string SeedConfig = """
             primitive drbd_mysql ocf:linbit:drbd \
                   params drbd_resource="r0" \
                   op monitor interval="29s" role="Master" \
                   op monitor interval="31s" role="Slave"
             ms ms_drbd_mysql drbd_mysql \
                   meta master-max="1" master-node-max="1" \
                     clone-max="2" clone-node-max="1" \
             primitive fs_mysql ocf:heartbeat:Filesystem \
                   params device="/dev/drbd/by-res/r0" \
                   directory="/var/lib/mysql" fstype="ext3"
             primitive mysqld lsb:mysql
             group mysql fs_mysql mysqld
             colocation mysql_on_drbd \
                    inf: mysql ms_drbd_mysql:Master
             order mysql_after_drbd \
                    inf: ms_drbd_mysql:promote mysql:start
             property stonith-enabled=false
             property no-quorum-policy=ignore
        """;

    private const string FencedConfig = """
        node 1: hadb01
        node 2: hadb02
        primitive drbd_mysql ocf:linbit:drbd params drbd_resource=r0 \
            op monitor interval=29s role=Promoted op monitor interval=31s role=Unpromoted
        primitive fs_mysql ocf:heartbeat:Filesystem params device=/dev/drbd1 directory=/var/lib/mysql fstype=ext3
        primitive mysqld lsb:mysql op monitor interval=10s
        primitive st-azure stonith:fence_azure_arm params pcmk_host_list="hadb01 hadb02"
        group mysql fs_mysql mysqld
        clone ms_drbd_mysql drbd_mysql meta promotable=true promoted-max=1 clone-max=2
        colocation mysql_on_drbd inf: mysql ms_drbd_mysql:Promoted
        order mysql_after_drbd Mandatory: ms_drbd_mysql:promote mysql:start
        property stonith-enabled=true
        """;

    private const string SteadyStatus = """
        {
          "quorate": true,
          "nodes": [
            { "name": "hadb01", "id": 1, "online": true, "attributes": { "master-drbd_mysql": 10000 } },
            { "name": "hadb02", "id": 2, "online": true, "attributes": { "master-drbd_mysql": 10000 } }
          ],
          "resources": [
            { "id": "drbd_mysql", "instances": [ { "node": "hadb01", "role": "Promoted" }, { "node": "hadb02", "role": "Unpromoted" } ] },
            { "id": "fs_mysql", "instances": [ { "node": "hadb01", "role": "Started" } ] },
            { "id": "mysqld", "instances": [ { "node": "hadb01", "role": "Started" } ] },
            { "id": "st-azure", "instances": [ { "node": "hadb02", "role": "Started" } ] }
          ]
        }
        """;

    // Both nodes up with UpToDate data (the promotion scores DRBD reports), nothing running yet.
    private const string ColdStatus = """
        {
          "quorate": true,
          "nodes": [
            { "name": "hadb01", "id": 1, "online": true, "attributes": { "master-drbd_mysql": 10000 } },
            { "name": "hadb02", "id": 2, "online": true, "attributes": { "master-drbd_mysql": 10000 } }
          ]
        }
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-simulate-");
    private readonly CliHarness _cli = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Simulate_SeedConfigColdStart_StartsDrbdOnBothNodesAndWarns()
    {
        var config = Write("cluster.conf", SeedConfig);

        var run = await _cli.RunAsync(["simulate", "--config", config, "--node-up", "hadb01", "--node-up", "hadb02", "--json"], Ct);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(["placement", "actions"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["drbd_mysql@hadb01=Unpromoted", "drbd_mysql@hadb02=Unpromoted"],
            json.RootElement.GetProperty("placement").EnumerateArray().Select(p => $"{p.GetProperty("resource")}@{p.GetProperty("node")}={p.GetProperty("role")}"));
        Assert.Equal(
            ["start:drbd_mysql@hadb01", "start:drbd_mysql@hadb02", "monitor-31s:drbd_mysql@hadb01", "monitor-31s:drbd_mysql@hadb02"],
            Ids(json));
        var first = json.RootElement.GetProperty("actions")[0];
        Assert.Equal(["id", "op", "resource", "node", "after"], first.EnumerateObject().Select(p => p.Name));
        Assert.Contains(":7: line 7 ends in '\\'", run.Error, StringComparison.Ordinal);
        Assert.Contains("split brain is possible", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_PromotedNodeFails_FencesThenPromotesMountsAndStarts()
    {
        var config = Write("cluster.crm", FencedConfig);
        var status = Write("status.json", SteadyStatus);

        var run = await _cli.RunAsync(["simulate", "--config", config, "--status", status, "--node-fail", "hadb01", "--json"], Ct);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var ids = Ids(json);
        Assert.Equal(
            ["fence@hadb01", "promote:drbd_mysql@hadb02", "start:fs_mysql@hadb02", "start:mysqld@hadb02", "monitor-29s:drbd_mysql@hadb02", "monitor-10s:mysqld@hadb02"],
            ids);
        var fence = json.RootElement.GetProperty("actions")[0];
        Assert.Equal(("fence", "st-azure", "hadb01"), (fence.GetProperty("op").GetString(), fence.GetProperty("resource").GetString(), fence.GetProperty("node").GetString()));
        foreach (var action in json.RootElement.GetProperty("actions").EnumerateArray())
        {
            var position = ids.IndexOf(action.GetProperty("id").GetString()!);
            Assert.All(action.GetProperty("after").EnumerateArray(), a => Assert.True(ids.IndexOf(a.GetString()!) < position));
        }

        Assert.Equal(["fence@hadb01"], json.RootElement.GetProperty("actions")[1].GetProperty("after").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Simulate_StandbyAndFailure_TextListsNumberedStepsWithTheirPredecessors()
    {
        var config = Write("cluster.crm", FencedConfig);
        var status = Write("status.json", SteadyStatus);

        var run = await _cli.RunAsync(["simulate", "-c", config, "-s", status, "--standby", "hadb01"], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Placement after the transition:", run.Out, StringComparison.Ordinal);
        Assert.Contains("1. stop mysqld on hadb01", run.Out, StringComparison.Ordinal);
        Assert.Contains("2. stop fs_mysql on hadb01  (after 1)", run.Out, StringComparison.Ordinal);
        Assert.Contains("3. demote drbd_mysql on hadb01  (after 1, 2)", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"promote drbd_mysql on hadb02  \(after 3\)", run.Out);
    }

    [Fact]
    public async Task Simulate_FailMonitor_RestartsInPlace()
    {
        var config = Write("cluster.crm", FencedConfig);
        var status = Write("status.json", SteadyStatus);

        var run = await _cli.RunAsync(["simulate", "-c", config, "-s", status, "--fail", "mysqld:hadb01:monitor", "--json"], Ct);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(["stop:mysqld@hadb01", "start:mysqld@hadb01", "monitor-10s:mysqld@hadb01"], Ids(json));
    }

    [Fact]
    public async Task Simulate_Dot_PrintsAGraphvizDigraph()
    {
        var config = Write("cluster.crm", FencedConfig);
        var status = Write("status.json", SteadyStatus);

        var run = await _cli.RunAsync(["simulate", "-c", config, "-s", status, "--node-fail", "hadb01", "--dot"], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("digraph transition {", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"fence@hadb01\" -> \"promote:drbd_mysql@hadb02\";", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_RunFromColdWithPromotionScores_SettlesAndTheWrittenStatusNeedsNothingMore()
    {
        var config = Write("cluster.crm", FencedConfig);
        var status = Write("status.json", ColdStatus);
        var after = Path.Combine(_dir.FullName, "after.json");

        var run = await _cli.RunAsync(["simulate", "-c", config, "-s", status, "--run", "--status-out", after, "--json"], Ct);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(["transitions", "settled"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(json.RootElement.GetProperty("settled").GetBoolean());
        var transitions = json.RootElement.GetProperty("transitions").EnumerateArray().ToList();
        var first = Assert.Single(transitions);
        // Equal promotion scores, nothing running: crm_simulate -R on the same CIB promotes on hadb02 (its instance :0).
        Assert.Contains("promote:drbd_mysql@hadb02", first.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()));

        // The status it wrote is the cluster after the run: DRBD Primary with the group on it, nothing left to do.
        using var written = JsonDocument.Parse(File.ReadAllText(after));
        var roles = written.RootElement.GetProperty("resources").EnumerateArray()
            .SelectMany(r => r.GetProperty("instances").EnumerateArray().Select(i => $"{r.GetProperty("id")}@{i.GetProperty("node")}={i.GetProperty("role")}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            ["drbd_mysql@hadb01=Unpromoted", "drbd_mysql@hadb02=Promoted", "fs_mysql@hadb02=Started", "mysqld@hadb02=Started", "st-azure@hadb01=Started"],
            roles);
        var again = await _cli.RunAsync(["simulate", "-c", config, "-s", after, "--json"], Ct);
        Assert.Equal(0, again.ExitCode);
        using var againJson = JsonDocument.Parse(again.Out);
        Assert.Empty(Ids(againJson));
    }

    [Fact]
    public async Task Simulate_RunAfterThePrimaryFails_FencesItAndSettlesOnTheSurvivor()
    {
        var config = Write("cluster.crm", FencedConfig);
        var status = Write("status.json", SteadyStatus);

        var run = await _cli.RunAsync(["simulate", "-c", config, "-s", status, "--node-fail", "hadb01", "--run"], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("=== Transition 1 ===", run.Out, StringComparison.Ordinal);
        Assert.Contains("1. fence hadb01 with st-azure", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"promote drbd_mysql on hadb02  \(after 1\)", run.Out);
        Assert.EndsWith("Settled after 1 transition: nothing more to do.", run.Out.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--run", "--dot")]
    [InlineData("--status-out", "out.json")]
    public async Task Simulate_RunOptionsMisused_ExitUsage(string option, string value)
    {
        var config = Write("cluster.crm", FencedConfig);

        var run = await _cli.RunAsync(["simulate", "--config", config, option, value], Ct);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches("--run and --dot cannot be combined|--status-out needs --run", run.Error);
    }

    [Fact]
    public async Task Simulate_ConfigError_ExitsOneWithFileLineAndColumn()
    {
        var config = Write("bad.crm", "primitive ok ocf:pacemaker:Dummy\nprimitive x ocf:foo\n");

        var run = await _cli.RunAsync(["simulate", "--config", config], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{config}:2:13: ", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--fail", "mysqld:hadb01")]
    [InlineData("--fail", "mysqld:hadb01:reload")]
    [InlineData("--now", "yesterday")]
    public async Task Simulate_BadWhatIf_ExitsUsage(string option, string value)
    {
        var config = Write("cluster.crm", FencedConfig);

        var run = await _cli.RunAsync(["simulate", "--config", config, option, value], Ct);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("clusterctl: simulate: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_UnknownNode_ExitsOne()
    {
        var config = Write("cluster.crm", FencedConfig);

        var run = await _cli.RunAsync(["simulate", "--config", config, "--node-fail", "hadb09"], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'hadb09' is not a node", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_MissingConfig_ExitsOne()
    {
        var missing = Path.Combine(_dir.FullName, "nope.crm");

        var run = await _cli.RunAsync(["simulate", "--config", missing], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"clusterctl: simulate: {missing}: no such file", run.Error.Trim());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Simulate_Interrupted_Exits130PrintingAndWritingNothing(bool run)
    {
        var config = Write("cluster.crm", FencedConfig);
        var status = Write("status.json", SteadyStatus);
        var statusOut = Path.Combine(_dir.FullName, "after.json");
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync(); // as Program does on SIGINT or SIGTERM

        string[] args = run
            ? ["simulate", "-c", config, "-s", status, "--node-fail", "hadb01", "--run", "--status-out", statusOut]
            : ["simulate", "-c", config, "-s", status, "--node-fail", "hadb01", "--json"];
        var result = await _cli.RunAsync(args, interrupted.Token);

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("", result.Out);
        // Cancelled before it starts, it stops at the first check: reading the configuration.
        Assert.Equal($"clusterctl: simulate: interrupted (SIGINT or SIGTERM) while reading {config}; nothing was printed or written", result.Error.Trim());
        Assert.False(File.Exists(statusOut));
    }

    private static List<string> Ids(JsonDocument json) =>
        [.. json.RootElement.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
