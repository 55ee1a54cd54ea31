using System.Text.Json;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Commands;

/// <summary><c>clusterctl agent exec</c> through the real root command, running real agents.</summary>
public sealed class AgentExecCommandTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("clusterctl-agent-");
    private readonly CliHarness _cli = new();

    public AgentExecCommandTests()
    {
        _cli.Environment["OCF_ROOT"] = _root.FullName;
        WriteAgent("Exit", """
            #!/bin/sh
            echo "action $1 on $OCF_RESOURCE_INSTANCE, check level $OCF_CHECK_LEVEL, timeout $OCF_RESKEY_CRM_meta_timeout"
            exit ${OCF_RESKEY_rc:-0}
            """);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0, "OCF_SUCCESS")]
    [InlineData(1, "OCF_ERR_GENERIC")]
    [InlineData(5, "OCF_ERR_INSTALLED")]
    [InlineData(6, "OCF_ERR_CONFIGURED")]
    [InlineData(7, "OCF_NOT_RUNNING")]
    [InlineData(8, "OCF_RUNNING_PROMOTED")]
    [InlineData(9, "OCF_FAILED_PROMOTED")]
    public async Task Exec_ExitCodeIsTheAgentsOcfCode(int rc, string name)
    {
        var run = await _cli.RunAsync(["agent", "exec", "ocf:test:Exit", "monitor", "--param", $"rc={rc}", "--depth", "10"], Ct);

        Assert.Equal(rc, run.ExitCode);
        Assert.StartsWith($"ocf:test:Exit monitor: {name} (rc {rc}, ", run.Out, StringComparison.Ordinal);
        Assert.Contains("action monitor on Exit, check level 10, timeout 20000", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Exec_Json_HasRcNameDurationAndOutput()
    {
        var run = await _cli.RunAsync(
            ["agent", "exec", "ocf:test:Exit", "start", "-p", "rc=7", "--instance", "db1", "--timeout", "5s", "--json"], Ct);

        Assert.Equal(7, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(7, root.GetProperty("rc").GetInt32());
        Assert.Equal("OCF_NOT_RUNNING", root.GetProperty("name").GetString());
        Assert.True(root.GetProperty("durationMs").GetInt64() >= 0);
        Assert.Equal("action start on db1, check level 0, timeout 5000\n", root.GetProperty("output").GetString());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal(["rc", "name", "durationMs", "output"], root.EnumerateObject().Take(4).Select(p => p.Name));
    }

    [Fact]
    public async Task Exec_Timeout_KillsTheAgentAndExitsGenericError()
    {
        WriteAgent("Hang", "#!/bin/sh\nsleep 1000\n");

        var run = await _cli.RunAsync(["agent", "exec", "ocf:test:Hang", "monitor", "--timeout", "300ms"], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("OCF_ERR_GENERIC (rc 1, error) in ", run.Out, StringComparison.Ordinal);
        Assert.Contains("[timed-out]", run.Out, StringComparison.Ordinal);
        Assert.Contains("reason: timed out after 300 ms", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_MissingAgent_ExitsNotInstalled()
    {
        var run = await _cli.RunAsync(["agent", "exec", "ocf:test:Nothing", "start"], Ct);

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("OCF_ERR_INSTALLED", run.Out, StringComparison.Ordinal);
        Assert.Contains("[not-run]", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_NativeDummy_KeepsStateBetweenInvocations()
    {
        var state = Path.Combine(_root.FullName, "dummy.state");
        string[] Args(string action) => ["agent", "exec", "ocf:pacemaker:Dummy", action, "--param", $"state={state}"];

        Assert.Equal(7, (await _cli.RunAsync(Args("monitor"), Ct)).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync(Args("start"), Ct)).ExitCode);
        Assert.True(File.Exists(state));
        Assert.Equal(0, (await _cli.RunAsync(Args("monitor"), Ct)).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync(Args("stop"), Ct)).ExitCode);
        Assert.Equal(7, (await _cli.RunAsync(Args("monitor"), Ct)).ExitCode);
    }

    [Fact]
    public async Task Exec_RealHeartbeatDummyScript_WhenForced()
    {
        var instance = $"cli-{Guid.NewGuid():N}"[..16];
        _cli.Environment.Remove("OCF_ROOT");

        var run = await _cli.RunAsync(["agent", "exec", "script:ocf:heartbeat:Dummy", "monitor", "--instance", instance, "--json"], Ct);

        Assert.Equal(7, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("ocf:heartbeat:Dummy", json.RootElement.GetProperty("agent").GetString());
    }

    [Fact]
    public async Task Exec_MetaData_PrintsTheXml()
    {
        var run = await _cli.RunAsync(["agent", "exec", "clusterd:probe-port", "meta-data"], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("<resource-agent name=\"probe-port\"", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown action 'restart'", "agent", "exec", "ocf:test:Exit", "restart")]
    [InlineData("--param 'rc' is not NAME=VALUE", "agent", "exec", "ocf:test:Exit", "start", "--param", "rc")]
    [InlineData("--param '=1' is not NAME=VALUE", "agent", "exec", "ocf:test:Exit", "start", "--param", "=1")]
    [InlineData("--meta 'a b=1' is not NAME=VALUE", "agent", "exec", "ocf:test:Exit", "start", "--meta", "a b=1")]
    [InlineData("--param rc is given twice", "agent", "exec", "ocf:test:Exit", "start", "-p", "rc=1", "-p", "rc=2")]
    [InlineData("--timeout 'soon' is not a positive duration", "agent", "exec", "ocf:test:Exit", "start", "--timeout", "soon")]
    [InlineData("an OCF agent is ocf:PROVIDER:TYPE", "agent", "exec", "ocf:Exit", "start")]
    [InlineData("unknown fence action 'start'", "agent", "exec", "stonith:fence_azure_arm", "start")]
    [InlineData("resource instance 'a/b'", "agent", "exec", "ocf:test:Exit", "start", "--instance", "a/b")]
    public async Task Exec_BadInput_ExitsUsageWithAClearError(string message, params string[] args)
    {
        var run = await _cli.RunAsync(args, Ct);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Exec_MissingAction_IsAParseError()
    {
        var run = await _cli.RunAsync(["agent", "exec", "ocf:test:Exit"], Ct);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private void WriteAgent(string type, string body)
    {
        var directory = Path.Combine(_root.FullName, "resource.d", "test");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, type);
        File.WriteAllText(path, body.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
