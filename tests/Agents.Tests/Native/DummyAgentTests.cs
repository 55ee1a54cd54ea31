using ClusterD.Agents.Native;
using ClusterD.Agents.Native.Dummy;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native;

public sealed class DummyAgentTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DummyAgent Agent => new(AgentName.Parse("ocf:clusterd:Dummy"), _h.Native, TimeProvider.System);

    [Fact]
    public async Task StartMonitorStop_TracksStateInTheStateDirectory()
    {
        var agent = Agent;
        var instance = AgentHarness.Instance();

        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(new(AgentAction.Monitor, instance), Ct)).ExitCode);
        var start = await agent.ExecuteAsync(new(AgentAction.Start, instance), Ct);
        Assert.True(start.IsSuccess);
        Assert.Equal(_h.Dir.Combine("state", $"Dummy-{instance}.state"), start.Extras[AgentResultExtras.StateFile]);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(new(AgentAction.Monitor, instance), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(new(AgentAction.Start, instance), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(new(AgentAction.Stop, instance), Ct)).ExitCode);
        Assert.False(File.Exists(start.Extras[AgentResultExtras.StateFile]));
        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(new(AgentAction.Monitor, instance), Ct)).ExitCode);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(new(AgentAction.Stop, instance), Ct)).ExitCode);
    }

    [Fact]
    public async Task Notify_IsAcceptedAndChangesNothing()
    {
        // Native agents need no clone notifications: they accept them (docs/agents.md), so a clone with notify=true runs.
        var instance = AgentHarness.Instance();
        var notify = new AgentRequest(AgentAction.Notify, instance) { Notification = new AgentNotification(NotifyType.Pre, AgentAction.Start) };

        Assert.Equal(OcfExitCode.Success, (await Agent.ExecuteAsync(notify, Ct)).ExitCode);
        Assert.Equal(OcfExitCode.NotRunning, (await Agent.ExecuteAsync(new(AgentAction.Monitor, instance), Ct)).ExitCode);
    }

    [Fact]
    public async Task StateParameter_UnwritableDirectory_IsInvalidArgument()
    {
        var file = _h.Dir.Combine("a-file");
        File.WriteAllText(file, "");
        var request = new AgentRequest(AgentAction.Start, "r")
        {
            Parameters = new Dictionary<string, string> { ["state"] = Path.Combine(file, "x.state") },
        };

        var result = await Agent.ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.InvalidArgument, result.ExitCode);
        Assert.Equal(OcfFailureSeverity.Hard, result.Severity);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("/dev/zero")]
    [InlineData("directory")]
    public async Task StateParameter_NotARegularFile_MonitorAnswersNotConfiguredAtOnce(string kind)
    {
        // A FIFO would block a plain read for ever and /dev/zero would fill memory: neither is read.
        var path = kind switch
        {
            "fifo" => _h.Dir.Combine("state.fifo"),
            "directory" => Directory.CreateDirectory(_h.Dir.Combine("state.dir")).FullName,
            _ => kind,
        };
        if (kind == "fifo")
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
            await mkfifo.WaitForExitAsync(Ct);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var request = new AgentRequest(AgentAction.Monitor, "r")
        {
            Parameters = new Dictionary<string, string> { ["state"] = path },
            Timeout = TimeSpan.FromSeconds(10),
        };

        var result = await Agent.ExecuteAsync(request, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal((OcfExitCode.NotConfigured, AgentExecutionStatus.Completed), (result.ExitCode, result.Status));
        Assert.Contains($"state file {path} is", result.ExitReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpSleep_LongerThanTimeout_TimesOut()
    {
        var request = new AgentRequest(AgentAction.Start, AgentHarness.Instance())
        {
            Parameters = new Dictionary<string, string> { ["op_sleep"] = "30" },
            Timeout = TimeSpan.FromMilliseconds(200),
        };

        var result = await Agent.ExecuteAsync(request, Ct);

        Assert.Equal(AgentExecutionStatus.TimedOut, result.Status);
        Assert.Equal(OcfExitCode.GenericError, result.ExitCode);
        Assert.Contains("timed out after 200 ms in start", result.ExitReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_SaysCancelled()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(100);
        var request = new AgentRequest(AgentAction.Monitor, "r") { Parameters = new Dictionary<string, string> { ["op_sleep"] = "30" } };

        var result = await Agent.ExecuteAsync(request, cancel.Token);

        Assert.Equal(AgentExecutionStatus.Cancelled, result.Status);
    }

    [Fact]
    public async Task UnknownParameter_StartsWithAWarning()
    {
        var request = new AgentRequest(AgentAction.Start, AgentHarness.Instance())
        {
            Parameters = new Dictionary<string, string> { ["fake"] = "x", ["colour"] = "red" },
        };

        var result = await Agent.ExecuteAsync(request, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(["parameter 'colour' is not declared by agent 'Dummy'"], result.Warnings);
    }

    [Theory]
    [InlineData(AgentAction.Promote)]
    [InlineData(AgentAction.Demote)]
    public async Task RoleActions_AreUnimplemented(AgentAction action) =>
        Assert.Equal(OcfExitCode.Unimplemented, (await Agent.ExecuteAsync(new(action, "r"), Ct)).ExitCode);

    [Fact]
    public async Task MetaData_ParsesWithoutWarnings()
    {
        var result = await Agent.ExecuteAsync(new(AgentAction.MetaData, "r"), Ct);

        Assert.True(result.IsSuccess);
        Assert.Empty(ClusterD.Agents.Metadata.AgentMetadataParser.Parse(result.Output).Warnings);
    }

    public void Dispose() => _h.Dispose();
}
