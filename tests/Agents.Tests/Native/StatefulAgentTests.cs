using ClusterD.Agents.Native.Dummy;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native;

public sealed class StatefulAgentTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lifecycle_MonitorAnswersRoleAndPromotionScore()
    {
        var agent = new StatefulAgent(AgentName.Parse("ocf:pacemaker:Stateful"), _h.Native, TimeProvider.System);
        var instance = AgentHarness.Instance("stateful");
        Task<AgentResult> Run(AgentAction action) => agent.ExecuteAsync(new AgentRequest(action, instance), Ct);

        Assert.Equal(OcfExitCode.NotRunning, (await Run(AgentAction.Monitor)).ExitCode);
        Assert.Equal(OcfExitCode.NotRunning, (await Run(AgentAction.Promote)).ExitCode);
        Assert.Equal("5", (await Run(AgentAction.Start)).Extras[AgentResultExtras.PromotionScore]);
        var unpromoted = await Run(AgentAction.Monitor);
        Assert.Equal(OcfExitCode.Success, unpromoted.ExitCode);
        Assert.Equal("unpromoted", unpromoted.Extras["role"]);
        Assert.True((await Run(AgentAction.Promote)).IsSuccess);
        var promoted = await Run(AgentAction.Monitor);
        Assert.Equal(OcfExitCode.RunningPromoted, promoted.ExitCode);
        Assert.Equal("10", promoted.Extras[AgentResultExtras.PromotionScore]);
        Assert.Equal(OcfExitCode.RunningPromoted, (await Run(AgentAction.Monitor)).ExitCode);
        Assert.True((await Run(AgentAction.Demote)).IsSuccess);
        Assert.Equal(OcfExitCode.Success, (await Run(AgentAction.Monitor)).ExitCode);
        Assert.True((await Run(AgentAction.Stop)).IsSuccess);
        Assert.Equal(OcfExitCode.NotRunning, (await Run(AgentAction.Monitor)).ExitCode);
        Assert.Equal(OcfExitCode.NotRunning, (await Run(AgentAction.Demote)).ExitCode);
    }

    [Fact]
    public async Task Notify_Succeeds()
    {
        var agent = new StatefulAgent(AgentName.Parse("ocf:clusterd:Stateful"), _h.Native, TimeProvider.System);
        var request = new AgentRequest(AgentAction.Notify, "s") { Notification = new AgentNotification(NotifyType.Post, AgentAction.Promote) };

        Assert.True((await agent.ExecuteAsync(request, Ct)).IsSuccess);
    }

    public void Dispose() => _h.Dispose();
}
