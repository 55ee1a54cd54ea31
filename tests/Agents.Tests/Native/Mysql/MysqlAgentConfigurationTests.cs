using ClusterD.Agents.Metadata;
using ClusterD.Agents.Native;
using ClusterD.Agents.Native.Mysql;
using ClusterD.Agents.Scripts;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native.Mysql;

/// <summary>Installation and configuration errors, answered without starting anything.</summary>
public sealed class MysqlAgentConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(AgentAction.Start)]
    [InlineData(AgentAction.ValidateAll)]
    public async Task MissingBinary_IsNotInstalled(AgentAction action)
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var request = db.Request(action, "db", extra: new Dictionary<string, string> { ["binary"] = "/usr/sbin/no-such-mysqld" });

        var result = await MysqlAgentLifecycleTests.NewAgent().ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
        Assert.Contains("/usr/sbin/no-such-mysqld", result.ExitReason, StringComparison.Ordinal);
        Assert.Empty(db.ServerProcesses());
    }

    [Theory]
    [InlineData(AgentAction.Start)]
    [InlineData(AgentAction.ValidateAll)]
    public async Task MissingDatadir_IsNotInstalledOnThisNode(AgentAction action)
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var request = db.Request(action, "db", extra: new Dictionary<string, string> { ["datadir"] = db.Combine("not-mounted") });

        var result = await MysqlAgentLifecycleTests.NewAgent().ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
        Assert.Contains("does not exist", result.ExitReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AgentAction.Start)]
    [InlineData(AgentAction.ValidateAll)]
    public async Task DatadirWithoutSystemDatabase_IsNotConfigured(AgentAction action)
    {
        using var db = await MariaDbSandbox.CreateAsync(initialized: false, cancellationToken: Ct);

        var result = await MysqlAgentLifecycleTests.NewAgent().ExecuteAsync(db.Request(action, "db"), Ct);

        Assert.Equal(OcfExitCode.NotConfigured, result.ExitCode);
        Assert.Contains("no mysql system database", result.ExitReason, StringComparison.Ordinal);
        Assert.Empty(db.ServerProcesses());
    }

    [Theory]
    [InlineData("test_table", "mysql.user; DROP TABLE x")]
    [InlineData("heartbeat_table", "justatable")]
    [InlineData("port", "70000")]
    [InlineData("datadir", "relative/path")]
    [InlineData("additional_parameters", "--init-file='unterminated")]
    public async Task BadParameter_IsNotConfigured(string name, string value)
    {
        using var db = await MariaDbSandbox.CreateAsync(initialized: false, cancellationToken: Ct);
        var request = db.Request(AgentAction.ValidateAll, "db", extra: new Dictionary<string, string> { [name] = value });

        var result = await MysqlAgentLifecycleTests.NewAgent().ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.NotConfigured, result.ExitCode);
        Assert.Contains(name, result.ExitReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingThere_MonitorNotRunning_StopSucceeds()
    {
        using var db = await MariaDbSandbox.CreateAsync(initialized: false, cancellationToken: Ct);
        var agent = MysqlAgentLifecycleTests.NewAgent();
        // A probe on a node where the datadir is not even there (file system not mounted) is "not running", not an error.
        var unmounted = new Dictionary<string, string> { ["datadir"] = db.Combine("not-mounted"), ["binary"] = "/nonexistent/mysqld" };

        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(db.Request(AgentAction.Monitor, "db"), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(db.Request(AgentAction.Monitor, "db", extra: unmounted), Ct)).ExitCode);
        Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, "db"), Ct)).IsSuccess);
        Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, "db", extra: unmounted), Ct)).IsSuccess);
    }

    [Fact]
    public async Task MetaData_ParsesWithTheScriptsParameterNames()
    {
        var result = await MysqlAgentLifecycleTests.NewAgent().ExecuteAsync(new AgentRequest(AgentAction.MetaData, "db"), Ct);
        var metadata = AgentMetadataParser.Parse(result.Output);

        Assert.True(result.IsSuccess);
        Assert.Empty(metadata.Warnings);
        foreach (var name in new[] { "binary", "client_binary", "config", "datadir", "user", "group", "log", "pid", "socket", "test_table", "test_user", "test_passwd", "enable_creation", "additional_parameters" })
        {
            Assert.NotNull(metadata.Parameter(name));
        }

        Assert.Equal(TimeSpan.FromSeconds(120), metadata.DefaultTimeout(AgentAction.Stop));
    }

    [Theory]
    [InlineData(AgentAction.Promote)]
    [InlineData(AgentAction.Demote)]
    public async Task ReplicationRoles_AreUnimplemented(AgentAction action)
    {
        var result = await MysqlAgentLifecycleTests.NewAgent().ExecuteAsync(new AgentRequest(action, "db"), Ct);

        Assert.Equal(OcfExitCode.Unimplemented, result.ExitCode);
    }

    [Theory]
    [InlineData("ocf:heartbeat:mysql", typeof(MysqlAgent))]
    [InlineData("clusterd:mysql", typeof(MysqlAgent))]
    [InlineData("script:ocf:heartbeat:mysql", typeof(OcfScriptAgent))]
    public void Resolver_FindsTheNativeAgentUnlessTheScriptIsForced(string name, Type expected)
    {
        using var harness = new AgentHarness();
        var resolver = new AgentResolver(new AgentRegistry().RegisterBuiltIns(harness.Native, TimeProvider.System), harness.SystemScripts, harness.Runner);

        Assert.IsType(expected, resolver.Resolve(name));
    }
}
