using ClusterD.Agents.Metadata;
using ClusterD.Agents.Native;
using ClusterD.Agents.Native.Stateful;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native.Stateful;

public sealed class StatefulAgentTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly string _instance = AgentHarness.Instance("stateful");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StatefulAgent Agent => new(AgentName.Parse("ocf:pacemaker:Stateful"), _h.Native, TimeProvider.System);

    private string DefaultStateFile => _h.Dir.Combine("state", $"Stateful-{_instance}.state");

    [Fact]
    public async Task Lifecycle_AnswersExitCodesAndPromotionScores()
    {
        var agent = Agent;
        Task<AgentResult> Run(AgentAction action) => agent.ExecuteAsync(new AgentRequest(action, _instance), Ct);

        Assert.Equal((OcfExitCode.NotRunning, null), Scored(await Run(AgentAction.Monitor)));
        Assert.Equal((OcfExitCode.Success, "5"), Scored(await Run(AgentAction.Start)));
        Assert.Equal("Unpromoted\n", await File.ReadAllTextAsync(DefaultStateFile, Ct));
        var unpromoted = await Run(AgentAction.Monitor);
        Assert.Equal((OcfExitCode.Success, "5"), Scored(unpromoted));
        Assert.Equal("unpromoted", unpromoted.Extras["role"]);
        Assert.Equal(DefaultStateFile, unpromoted.Extras[AgentResultExtras.StateFile]);
        Assert.Equal((OcfExitCode.Success, "5"), Scored(await Run(AgentAction.Start)));

        Assert.Equal((OcfExitCode.Success, "10"), Scored(await Run(AgentAction.Promote)));
        Assert.Equal("Promoted\n", await File.ReadAllTextAsync(DefaultStateFile, Ct));
        var promoted = await Run(AgentAction.Monitor);
        Assert.Equal((OcfExitCode.RunningPromoted, "10"), Scored(promoted));
        Assert.Equal("promoted", promoted.Extras["role"]);
        Assert.Equal((OcfExitCode.Success, "10"), Scored(await Run(AgentAction.Promote)));

        Assert.Equal((OcfExitCode.Success, "5"), Scored(await Run(AgentAction.Demote)));
        Assert.Equal((OcfExitCode.Success, "5"), Scored(await Run(AgentAction.Monitor)));
        Assert.Equal((OcfExitCode.Success, "5"), Scored(await Run(AgentAction.Demote)));

        Assert.Equal((OcfExitCode.Success, null), Scored(await Run(AgentAction.Stop)));
        Assert.False(File.Exists(DefaultStateFile));
        Assert.Equal((OcfExitCode.NotRunning, null), Scored(await Run(AgentAction.Monitor)));
        Assert.Equal((OcfExitCode.Success, null), Scored(await Run(AgentAction.Stop)));
    }

    [Theory]
    [InlineData(AgentAction.Promote)]
    [InlineData(AgentAction.Demote)]
    public async Task RoleChange_WhenStopped_IsNotRunningAndStartsNothing(AgentAction action)
    {
        var result = await Agent.ExecuteAsync(new AgentRequest(action, _instance), Ct);

        Assert.Equal((OcfExitCode.NotRunning, null), Scored(result));
        Assert.Equal($"cannot {action.ToOcfName()} a stopped instance", result.ExitReason);
        Assert.False(File.Exists(DefaultStateFile));
    }

    [Theory]
    [InlineData(AgentAction.Start)]
    [InlineData(AgentAction.Stop)]
    public async Task StartOrStop_WhenPromoted_AnswersRunningPromotedAndKeepsTheRole(AgentAction action)
    {
        // The script's "should never happen" checks: the cluster demotes before it stops.
        await StartAndPromoteAsync();

        var result = await Agent.ExecuteAsync(new AgentRequest(action, _instance), Ct);

        Assert.Equal(OcfExitCode.RunningPromoted, result.ExitCode);
        Assert.Equal("Promoted\n", await File.ReadAllTextAsync(DefaultStateFile, Ct));
        Assert.Equal((OcfExitCode.RunningPromoted, "10"), Scored(await Agent.ExecuteAsync(new AgentRequest(AgentAction.Monitor, _instance), Ct)));
    }

    [Fact]
    public async Task State_SurvivesANewAgent()
    {
        await StartAndPromoteAsync();

        var restarted = new StatefulAgent(AgentName.Parse("ocf:clusterd:Stateful"), _h.Native, TimeProvider.System);
        var probe = await restarted.ExecuteAsync(new AgentRequest(AgentAction.Monitor, _instance), Ct);

        Assert.Equal((OcfExitCode.RunningPromoted, "10"), Scored(probe));
    }

    [Theory]
    [InlineData("Promoted\n", OcfExitCode.RunningPromoted, "10")]
    [InlineData("Unpromoted\n", OcfExitCode.Success, "5")]
    [InlineData("promoted", OcfExitCode.RunningPromoted, "10")]
    [InlineData("master\n", OcfExitCode.RunningPromoted, "10")]
    [InlineData("slave\n", OcfExitCode.Success, "5")]
    public async Task Monitor_FileOfTheScriptOrAnOlderVersion_AnswersItsRole(string content, OcfExitCode expected, string score)
    {
        var path = _h.Dir.Combine("shared.state");
        await File.WriteAllTextAsync(path, content, Ct);

        var result = await Agent.ExecuteAsync(WithState(AgentAction.Monitor, path), Ct);

        Assert.Equal((expected, score), Scored(result));
    }

    [Theory]
    [InlineData(AgentAction.Monitor)]
    [InlineData(AgentAction.Start)]
    [InlineData(AgentAction.Promote)]
    [InlineData(AgentAction.Demote)]
    public async Task CorruptContent_IsAGenericErrorNamingTheFile(AgentAction action)
    {
        var path = _h.Dir.Combine("corrupt.state");
        await File.WriteAllTextAsync(path, "Promoted\u0000garbage\n", Ct);

        var result = await Agent.ExecuteAsync(WithState(action, path), Ct);

        Assert.Equal((OcfExitCode.GenericError, null), Scored(result));
        Assert.Equal($"state file {path} holds 'Promoted?garbage', not Promoted or Unpromoted; stop removes it", result.ExitReason);
        Assert.Equal("Promoted\u0000garbage\n", await File.ReadAllTextAsync(path, Ct));
    }

    [Fact]
    public async Task CorruptContent_StopRemovesIt()
    {
        var path = _h.Dir.Combine("corrupt.state");
        await File.WriteAllTextAsync(path, "", Ct);

        var result = await Agent.ExecuteAsync(WithState(AgentAction.Stop, path), Ct);

        Assert.Equal(OcfExitCode.Success, result.ExitCode);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(AgentAction.Monitor)]
    [InlineData(AgentAction.Promote)]
    [InlineData(AgentAction.Stop)]
    public async Task OversizedFile_IsNotConfiguredAndLeftAlone(AgentAction action)
    {
        var path = _h.Dir.Combine("large.state");
        await File.WriteAllTextAsync(path, "Promoted" + new string(' ', 5000), Ct);

        var result = await Agent.ExecuteAsync(WithState(action, path), Ct);

        Assert.Equal((OcfExitCode.NotConfigured, AgentExecutionStatus.Completed), (result.ExitCode, result.Status));
        Assert.Equal($"state file {path} is larger than 4096 bytes", result.ExitReason);
        Assert.True(File.Exists(path));
    }

    [Theory]
    [InlineData(AgentAction.Monitor)]
    [InlineData(AgentAction.Start)]
    [InlineData(AgentAction.Stop)]
    public async Task Fifo_IsNotConfiguredAtOnce(AgentAction action)
    {
        // A plain read of a FIFO would wait for a writer for ever.
        var path = _h.Dir.Combine("state.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            await mkfifo.WaitForExitAsync(Ct);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var result = await Agent.ExecuteAsync(WithState(action, path) with { Timeout = TimeSpan.FromSeconds(10) }, Ct)
            .WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal((OcfExitCode.NotConfigured, AgentExecutionStatus.Completed), (result.ExitCode, result.Status));
        Assert.Equal($"state file {path} is a FIFO, not a regular file", result.ExitReason);
    }

    [Fact]
    public async Task ValidateAll_StateUnderAFile_IsInvalidArgument()
    {
        var blocker = _h.Dir.Combine("not-a-directory");
        await File.WriteAllTextAsync(blocker, "", Ct);

        var result = await Agent.ExecuteAsync(WithState(AgentAction.ValidateAll, Path.Combine(blocker, "s.state")), Ct);

        Assert.Equal(OcfExitCode.InvalidArgument, result.ExitCode);
        Assert.StartsWith($"state directory '{blocker}' is not writable", result.ExitReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_Succeeds()
    {
        var request = new AgentRequest(AgentAction.Notify, _instance) { Notification = new AgentNotification(NotifyType.Post, AgentAction.Promote) };

        Assert.True((await Agent.ExecuteAsync(request, Ct)).IsSuccess);
    }

    [Fact]
    public async Task MetaData_DeclaresStateAndRoleMonitors()
    {
        var result = await Agent.ExecuteAsync(new AgentRequest(AgentAction.MetaData, _instance), Ct);
        var metadata = AgentMetadataParser.Parse(result.Output);

        Assert.True(result.IsSuccess);
        Assert.Empty(metadata.Warnings);
        Assert.NotNull(metadata.Parameter("state"));
        Assert.Equal(["Promoted", "Unpromoted"], metadata.Actions.Where(a => a.Name == "monitor").Select(a => a.Role));
    }

    [Theory]
    [InlineData("ocf:pacemaker:Stateful")]
    [InlineData("ocf:clusterd:Stateful")]
    public void BuiltIns_RegisterTheNativeAgent(string name)
    {
        var registry = new AgentRegistry().RegisterBuiltIns(_h.Native, TimeProvider.System, _h.Runner);

        Assert.True(registry.TryGet(AgentName.Parse(name), out var agent));
        Assert.IsType<StatefulAgent>(agent);
    }

    public void Dispose() => _h.Dispose();

    private static (OcfExitCode, string?) Scored(AgentResult result) =>
        (result.ExitCode, result.Extras.TryGetValue(AgentResultExtras.PromotionScore, out var score) ? score : null);

    private AgentRequest WithState(AgentAction action, string path) => new(action, _instance)
    {
        Parameters = new Dictionary<string, string> { ["state"] = path },
    };

    private async Task StartAndPromoteAsync()
    {
        Assert.True((await Agent.ExecuteAsync(new AgentRequest(AgentAction.Start, _instance), Ct)).IsSuccess);
        Assert.True((await Agent.ExecuteAsync(new AgentRequest(AgentAction.Promote, _instance), Ct)).IsSuccess);
    }
}
