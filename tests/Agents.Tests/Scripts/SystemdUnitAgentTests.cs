using ClusterD.Agents.Scripts;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Scripts;

public sealed class SystemdUnitAgentTests : IDisposable
{
    private readonly AgentHarness _h = new();

    [Theory]
    [InlineData(AgentAction.Start)]
    [InlineData(AgentAction.Monitor)]
    [InlineData(AgentAction.MetaData)]
    public async Task WithoutSystemd_EveryActionIsNotInstalled(AgentAction action)
    {
        var agent = new SystemdUnitAgent(AgentName.Parse("systemd:mariadb"), _h.SystemScripts, _h.Runner);

        var result = await agent.ExecuteAsync(new AgentRequest(action, "db"), TestContext.Current.CancellationToken);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
        Assert.Equal(AgentExecutionStatus.NotRun, result.Status);
        Assert.Contains("systemd is not running", result.ExitReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mariadb", "mariadb.service")]
    [InlineData("mariadb.service", "mariadb.service")]
    [InlineData("data.mount", "data.mount")]
    [InlineData("getty@tty1", "getty@tty1.service")]
    public void UnitName_GetsServiceSuffixWhenItHasNone(string type, string unit) =>
        Assert.Equal(unit, new SystemdUnitAgent(AgentName.Parse("systemd:" + type), _h.SystemScripts, _h.Runner).Unit);

    [Theory]
    [InlineData("active\n", OcfExitCode.Success)]
    [InlineData("reloading\n", OcfExitCode.Success)]
    [InlineData("inactive\n", OcfExitCode.NotRunning)]
    [InlineData("failed\n", OcfExitCode.NotRunning)]
    [InlineData("deactivating\n", OcfExitCode.NotRunning)]
    [InlineData("activating\n", OcfExitCode.GenericError)]
    public void ActiveState_MapsToMonitorCodes(string output, OcfExitCode expected)
    {
        var show = new AgentResult(OcfExitCode.Success, AgentExecutionStatus.Completed, TimeSpan.Zero) { Output = output };

        Assert.Equal(expected, SystemdUnitAgent.MapActiveState(show).ExitCode);
    }

    public void Dispose() => _h.Dispose();
}
