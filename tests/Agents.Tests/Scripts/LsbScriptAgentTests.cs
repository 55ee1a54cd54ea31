using ClusterD.Agents.Metadata;
using ClusterD.Agents.Scripts;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Scripts;

/// <summary>An init script written for the test, whose status code comes from a file, through the real LSB runner.</summary>
public sealed class LsbScriptAgentTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly string _statusFile;
    private readonly LsbScriptAgent _agent;

    public LsbScriptAgentTests()
    {
        _statusFile = _h.Dir.Combine("status-code");
        _h.WriteInitScript("testd", $$"""
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides:          testd
            # Short-Description: Test daemon
            # Description:       A daemon that only exists in tests.
            ### END INIT INFO
            case "$1" in
              start) echo started; exit 0 ;;
              stop) echo stopped; exit 0 ;;
              status) exit $(cat {{_statusFile}}) ;;
              *) exit 3 ;;
            esac
            """);
        _agent = new LsbScriptAgent(AgentName.Parse("lsb:testd"), _h.SystemScripts, _h.Runner);
    }

    [Theory]
    [InlineData(0, OcfExitCode.Success)]
    [InlineData(1, OcfExitCode.NotRunning)]
    [InlineData(2, OcfExitCode.NotRunning)]
    [InlineData(3, OcfExitCode.NotRunning)]
    [InlineData(4, OcfExitCode.GenericError)]
    [InlineData(150, OcfExitCode.NotInstalled)]
    [InlineData(151, OcfExitCode.InsufficientPrivileges)]
    public async Task Monitor_RunsStatus_AndMapsLsbStatusCodes(int status, OcfExitCode expected)
    {
        File.WriteAllText(_statusFile, status.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = await _agent.ExecuteAsync(new AgentRequest(AgentAction.Monitor, "testd"), TestContext.Current.CancellationToken);

        Assert.Equal(expected, result.ExitCode);
        Assert.Equal(status, result.RawExitStatus);
    }

    [Fact]
    public async Task StartAndStop_RunTheScript()
    {
        var start = await _agent.ExecuteAsync(new AgentRequest(AgentAction.Start, "testd"), TestContext.Current.CancellationToken);
        var stop = await _agent.ExecuteAsync(new AgentRequest(AgentAction.Stop, "testd"), TestContext.Current.CancellationToken);

        Assert.True(start.IsSuccess);
        Assert.Equal("started\n", start.Output);
        Assert.True(stop.IsSuccess);
    }

    [Theory]
    [InlineData(AgentAction.Promote)]
    [InlineData(AgentAction.Demote)]
    public async Task RoleActions_AreUnimplemented(AgentAction action)
    {
        var result = await _agent.ExecuteAsync(new AgentRequest(action, "testd"), TestContext.Current.CancellationToken);

        Assert.Equal(OcfExitCode.Unimplemented, result.ExitCode);
    }

    [Fact]
    public async Task MetaData_IsSynthesisedFromTheLsbHeader()
    {
        var result = await _agent.ExecuteAsync(new AgentRequest(AgentAction.MetaData, "testd"), TestContext.Current.CancellationToken);
        var metadata = AgentMetadataParser.Parse(result.Output);

        Assert.Equal("testd", metadata.Name);
        Assert.Equal("Test daemon", metadata.ShortDescription);
        Assert.Empty(metadata.Warnings);
        Assert.Contains(metadata.Actions, a => a.Name == "status");
    }

    [Fact]
    public async Task MissingScript_IsNotInstalled()
    {
        var agent = new LsbScriptAgent(AgentName.Parse("lsb:nosuchd"), _h.SystemScripts, _h.Runner);

        var result = await agent.ExecuteAsync(new AgentRequest(AgentAction.Start, "x"), TestContext.Current.CancellationToken);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
        Assert.Equal(AgentExecutionStatus.NotRun, result.Status);
    }

    [Theory]
    [InlineData(AgentAction.Start, 7, OcfExitCode.NotRunning)]
    [InlineData(AgentAction.Stop, 6, OcfExitCode.NotConfigured)]
    [InlineData(AgentAction.Start, 8, OcfExitCode.GenericError)]
    [InlineData(AgentAction.Stop, 150, OcfExitCode.GenericError)]
    public void NonStatusActions_ShareOcfCodesUpToSeven(AgentAction action, int status, OcfExitCode expected) =>
        Assert.Equal(expected, LsbExitCodes.ToOcf(action, status));

    public void Dispose() => _h.Dispose();
}
