using ClusterD.Agents.Scripts;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Scripts;

/// <summary>The OCF runner against Debian's resource-agents and against small agents written for the test.</summary>
public sealed class OcfScriptAgentTests : IDisposable
{
    private readonly AgentHarness _h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeartbeatDummy_StartMonitorStop_FollowsOcfCodes()
    {
        var agent = _h.Ocf("ocf:heartbeat:Dummy");
        var instance = AgentHarness.Instance("dummy");
        AgentRequest Request(AgentAction action) => new(action, instance);

        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct)).ExitCode);
        var start = await agent.ExecuteAsync(Request(AgentAction.Start), Ct);
        Assert.True(start.IsSuccess, start.Output);
        Assert.True(File.Exists(_h.Dir.Combine("rsctmp", $"Dummy-{instance}.state")), "Dummy keeps its state in HA_RSCTMP");
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(Request(AgentAction.Start), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(Request(AgentAction.Stop), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(Request(AgentAction.Stop), Ct)).ExitCode);
    }

    [Fact]
    public async Task HeartbeatFilesystem_Tmpfs_MountsMonitorsAndUnmounts()
    {
        var agent = _h.Ocf("ocf:heartbeat:Filesystem");
        var directory = _h.Dir.Combine("mnt");
        Directory.CreateDirectory(directory);
        var parameters = new Dictionary<string, string> { ["device"] = "tmpfs", ["directory"] = directory, ["fstype"] = "tmpfs" };
        var instance = AgentHarness.Instance("fs");
        AgentRequest Request(AgentAction action) => new(action, instance) { Parameters = parameters, Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct)).ExitCode);
            var start = await agent.ExecuteAsync(Request(AgentAction.Start), Ct);
            Assert.True(start.IsSuccess, start.Output);
            Assert.True(IsMounted(directory));
            Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct)).ExitCode);
            var stop = await agent.ExecuteAsync(Request(AgentAction.Stop), Ct);
            Assert.True(stop.IsSuccess, stop.Output);
            Assert.False(IsMounted(directory));
            Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct)).ExitCode);
        }
        finally
        {
            if (IsMounted(directory))
            {
                await agent.ExecuteAsync(Request(AgentAction.Stop), CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task HeartbeatFilesystem_StartWithoutRequiredDevice_IsNotConfiguredWithoutRunning()
    {
        var agent = _h.Ocf("ocf:heartbeat:Filesystem");
        var request = new AgentRequest(AgentAction.Start, AgentHarness.Instance("fs"))
        {
            Parameters = new Dictionary<string, string> { ["directory"] = _h.Dir.Combine("mnt"), ["fstype"] = "ext3", ["colour"] = "blue" },
        };

        var result = await agent.ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.NotConfigured, result.ExitCode);
        Assert.Equal(AgentExecutionStatus.NotRun, result.Status);
        Assert.Contains("required parameter 'device' is not set", result.ExitReason, StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.Contains("'colour' is not declared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HeartbeatFilesystem_ValidateWithoutDevice_AgentAnswersNotConfigured()
    {
        var agent = _h.Ocf("ocf:heartbeat:Filesystem");
        var request = new AgentRequest(AgentAction.ValidateAll, AgentHarness.Instance("fs"))
        {
            Parameters = new Dictionary<string, string> { ["directory"] = _h.Dir.Combine("mnt"), ["fstype"] = "ext3" },
        };

        var result = await agent.ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.NotConfigured, result.ExitCode);
        Assert.Equal(AgentExecutionStatus.Completed, result.Status);
        Assert.Equal(6, result.RawExitStatus);
        Assert.Equal("Please set OCF_RESKEY_device to the device to be managed", result.ExitReason);
    }

    [Fact]
    public async Task HeartbeatFilesystem_MissingDevice_IsNotInstalledFromTheAgent()
    {
        var agent = _h.Ocf("ocf:heartbeat:Filesystem");
        var request = new AgentRequest(AgentAction.Start, AgentHarness.Instance("fs"))
        {
            Parameters = new Dictionary<string, string> { ["device"] = "/dev/clusterd-no-such-disk", ["directory"] = _h.Dir.Combine("mnt"), ["fstype"] = "ext3" },
        };

        var result = await agent.ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
        Assert.Equal(AgentExecutionStatus.Completed, result.Status);
        Assert.Contains("Couldn't find device", result.ExitReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ocf:heartbeat:NoSuchAgent")]
    [InlineData("ocf:nosuchprovider:Dummy")]
    public async Task MissingAgent_IsNotInstalledWithoutRunning(string name)
    {
        var result = await _h.Ocf(name).ExecuteAsync(new AgentRequest(AgentAction.Start, "r1"), Ct);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
        Assert.Equal(AgentExecutionStatus.NotRun, result.Status);
        Assert.Contains("not installed", result.ExitReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonExecutableAgent_IsNotInstalled()
    {
        var path = _h.WriteOcfAgent("test", "NoExec", "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = await _h.Ocf("ocf:test:NoExec", system: false).ExecuteAsync(new AgentRequest(AgentAction.Monitor, "r1"), Ct);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
    }

    [Fact]
    public async Task Timeout_KillsTheAgentAndItsGrandchild()
    {
        var pidFile = _h.Dir.Combine("grandchild.pid");
        _h.WriteOcfAgent("test", "Hang", $$"""
            #!/bin/sh
            sleep 1000 &
            echo $! > {{pidFile}}
            echo "agent $$ waiting"
            wait
            """);

        var result = await _h.Ocf("ocf:test:Hang", system: false).ExecuteAsync(
            new AgentRequest(AgentAction.Monitor, "r1") { Timeout = TimeSpan.FromMilliseconds(800) }, Ct);
        var grandchild = await ProcFs.ReadPidFileAsync(pidFile, Ct);
        var agentPid = int.Parse(result.Output.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(AgentExecutionStatus.TimedOut, result.Status);
        Assert.Equal(OcfExitCode.GenericError, result.ExitCode);
        Assert.Equal(OcfFailureSeverity.Soft, result.Severity);
        Assert.Contains("timed out after 800 ms", result.ExitReason, StringComparison.Ordinal);
        Assert.Null(ProcFs.State(agentPid));
        Assert.Null(ProcFs.State(grandchild));
    }

    [Fact]
    public async Task Environment_IsTheOcfEnvironment()
    {
        _h.WriteOcfAgent("test", "Env", "#!/bin/sh\nenv | sort\nexit 7\n");
        var request = new AgentRequest(AgentAction.Monitor, "db:1")
        {
            Parameters = new Dictionary<string, string> { ["port"] = "3306" },
            Meta = new Dictionary<string, string> { ["clone_max"] = "2" },
            Timeout = TimeSpan.FromSeconds(15),
            Interval = TimeSpan.FromSeconds(10),
            CheckLevel = 10,
            NodeName = "node1",
        };

        var result = await _h.Ocf("ocf:test:Env", system: false).ExecuteAsync(request, Ct);
        var env = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(OcfExitCode.NotRunning, result.ExitCode);
        Assert.Equal(AgentHarness.SystemOcfRoot + "/lib/heartbeat", env["OCF_FUNCTIONS_DIR"]);
        Assert.Equal(_h.TestOcfRoot, env["OCF_ROOT"]);
        Assert.Equal("db:1", env["OCF_RESOURCE_INSTANCE"]);
        Assert.Equal("Env", env["OCF_RESOURCE_TYPE"]);
        Assert.Equal("test", env["OCF_RESOURCE_PROVIDER"]);
        Assert.Equal("3306", env["OCF_RESKEY_port"]);
        Assert.Equal("2", env["OCF_RESKEY_CRM_meta_clone_max"]);
        Assert.Equal("15000", env["OCF_RESKEY_CRM_meta_timeout"]);
        Assert.Equal("10000", env["OCF_RESKEY_CRM_meta_interval"]);
        Assert.Equal("node1", env["OCF_RESKEY_CRM_meta_on_node"]);
        Assert.Equal("10", env["OCF_CHECK_LEVEL"]);
        Assert.Equal(_h.Dir.Combine("rsctmp"), env["HA_RSCTMP"]);
        Assert.False(env.ContainsKey("HOME"), "nothing of the runner's own environment leaks in");
    }

    [Fact]
    public async Task ExitReason_LastMarkedLineWins()
    {
        _h.WriteOcfAgent("test", "Reason", "#!/bin/sh\necho 'ocf-exit-reason:first' >&2\necho 'ocf-exit-reason:disk is full' >&2\nexit 1\n");

        var result = await _h.Ocf("ocf:test:Reason", system: false).ExecuteAsync(new AgentRequest(AgentAction.Monitor, "r1"), Ct);

        Assert.Equal(OcfExitCode.GenericError, result.ExitCode);
        Assert.Equal("disk is full", result.ExitReason);
        Assert.Equal("disk is full", result.Extras[AgentResultExtras.ExitReason]);
    }

    public void Dispose() => _h.Dispose();

    private static bool IsMounted(string directory) =>
        File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == directory);
}
