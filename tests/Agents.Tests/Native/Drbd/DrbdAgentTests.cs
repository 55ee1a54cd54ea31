using ClusterD.Agents.Native.Drbd;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native.Drbd;

/// <summary>The native DRBD agent on two nodes ("a", "b") against the drbdadm/drbdsetup stand-in.</summary>
public sealed class DrbdAgentTests : IDisposable
{
    private const string Resource = "r0";
    private readonly AgentHarness _h = new();
    private readonly DrbdStandIn _drbd = new();

    public DrbdAgentTests() => _drbd.Define(Resource);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_BringsTheResourceUpAsSecondary_ScoreRisesWhenThePeerConnects()
    {
        var start = await Run("a", AgentAction.Start);

        Assert.True(start.IsSuccess, start.ExitReason);
        Assert.True(_drbd.IsUp(Resource, "a"));
        var alone = await Run("a", AgentAction.Monitor);
        Assert.Equal(OcfExitCode.Success, alone.ExitCode);
        Assert.Equal("Secondary", alone.Extras["drbd-role"]);
        Assert.Equal("Connecting", alone.Extras["drbd-connection"]);
        Assert.Equal("1000", alone.Extras[AgentResultExtras.PromotionScore]);

        Assert.True((await Run("b", AgentAction.Start)).IsSuccess);
        var connected = await Run("a", AgentAction.Monitor);

        Assert.Equal("Connected", connected.Extras["drbd-connection"]);
        Assert.Equal("UpToDate", connected.Extras["drbd-peer-disk"]);
        Assert.Equal("10000", connected.Extras[AgentResultExtras.PromotionScore]);
        Assert.True((await Run("a", AgentAction.Start)).IsSuccess); // idempotent: no second "up"
    }

    [Fact]
    public async Task Promote_UpToDate_BecomesPrimary_ASecondPrimaryIsRefused()
    {
        await StartBoth();

        var promote = await Run("a", AgentAction.Promote);
        var second = await Run("b", AgentAction.Promote);

        Assert.True(promote.IsSuccess, promote.ExitReason);
        Assert.Equal(OcfExitCode.RunningPromoted, (await Run("a", AgentAction.Monitor)).ExitCode);
        Assert.Equal(OcfExitCode.GenericError, second.ExitCode);
        Assert.Contains("peer is Primary", second.ExitReason, StringComparison.Ordinal);
        Assert.Equal("Secondary", _drbd.Role(Resource, "b"));
        Assert.Equal("Primary", (await Run("b", AgentAction.Monitor)).Extras["drbd-peer-role"]);
    }

    [Fact]
    public async Task Secondary_UnderAPrimaryPeer_KeepsItsScore_AndIsPromotableOnceThePeerIsDemoted()
    {
        await StartBoth();
        Assert.True((await Run("a", AgentAction.Promote)).IsSuccess);

        var underPrimary = await Run("b", AgentAction.Monitor);
        Assert.True((await Run("a", AgentAction.Demote)).IsSuccess);
        var promote = await Run("b", AgentAction.Promote);

        // Positive under a Primary (a switchover must not wait for b's next monitor to learn it may be promoted),
        // and below the Primary's own 10000, so b never outscores it.
        Assert.Equal("1000", underPrimary.Extras[AgentResultExtras.PromotionScore]);
        Assert.True(promote.IsSuccess, promote.ExitReason);
        Assert.Equal("Primary", _drbd.Role(Resource, "b"));
    }

    [Theory]
    [InlineData("Outdated")]
    [InlineData("Inconsistent")]
    [InlineData("Diskless")]
    public async Task Promote_WithoutUpToDateData_IsRefusedAndScoredMinusInfinity(string disk)
    {
        await StartBoth();
        _drbd.SetDisk(Resource, "b", disk);

        var monitor = await Run("b", AgentAction.Monitor);
        var promote = await Run("b", AgentAction.Promote);

        Assert.Equal("-INFINITY", monitor.Extras[AgentResultExtras.PromotionScore]);
        Assert.Equal(OcfExitCode.GenericError, promote.ExitCode);
        Assert.Contains(disk, promote.ExitReason, StringComparison.Ordinal);
        Assert.Equal("Secondary", _drbd.Role(Resource, "b"));
        Assert.DoesNotContain("primary", _drbd.Calls("b"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_ConsistentWithAnOutdatedPeer_IsAllowed()
    {
        await StartBoth();
        _drbd.SetDisk(Resource, "a", "Consistent");
        _drbd.SetDisk(Resource, "b", "Outdated");

        var monitor = await Run("a", AgentAction.Monitor);
        var promote = await Run("a", AgentAction.Promote);

        Assert.Equal("10", monitor.Extras[AgentResultExtras.PromotionScore]);
        Assert.True(promote.IsSuccess, promote.ExitReason);
        Assert.Equal("Primary", _drbd.Role(Resource, "a"));
    }

    [Fact]
    public async Task Stop_OfThePrimary_DemotesAndKeepsReplicating()
    {
        await StartBoth();
        Assert.True((await Run("a", AgentAction.Promote)).IsSuccess);

        var stop = await Run("a", AgentAction.Stop);

        Assert.True(stop.IsSuccess, stop.ExitReason);
        Assert.True(_drbd.IsUp(Resource, "a"));
        Assert.Equal("Secondary", _drbd.Role(Resource, "a"));
        Assert.DoesNotContain("down", _drbd.Calls("a"), StringComparison.Ordinal);
        Assert.Equal(OcfExitCode.NotRunning, (await Run("a", AgentAction.Monitor)).ExitCode);
        var peer = await Run("b", AgentAction.Monitor);
        Assert.Equal("Connected", peer.Extras["drbd-connection"]);
        Assert.Equal("UpToDate", peer.Extras["drbd-peer-disk"]);

        // The standby node's replica stays current, so the peer can be promoted and the node started again.
        Assert.True((await Run("b", AgentAction.Promote)).IsSuccess);
        Assert.True((await Run("a", AgentAction.Start)).IsSuccess);
        Assert.Equal(OcfExitCode.Success, (await Run("a", AgentAction.Monitor)).ExitCode);
        Assert.Equal("UpToDate", _drbd.Disk(Resource, "a"));
    }

    [Fact]
    public async Task Stop_WithStopActionDown_TakesTheResourceDown()
    {
        await StartBoth();

        var stop = await Run("a", AgentAction.Stop, new() { ["stop_action"] = "down" });

        Assert.True(stop.IsSuccess, stop.ExitReason);
        Assert.False(_drbd.IsUp(Resource, "a"));
        Assert.Equal(OcfExitCode.NotRunning, (await Run("a", AgentAction.Monitor)).ExitCode);
    }

    [Fact]
    public async Task Failover_PeerPromotedAfterACrash_TheReturningNodeIsOutdatedAndNotPromotable()
    {
        await StartBoth();
        Assert.True((await Run("a", AgentAction.Promote)).IsSuccess);
        _drbd.Crash(Resource, "a");

        Assert.True((await Run("b", AgentAction.Promote)).IsSuccess);
        Assert.Equal("Outdated", _drbd.Disk(Resource, "a"));
        Assert.True((await Run("a", AgentAction.Start)).IsSuccess);
        var back = await Run("a", AgentAction.Monitor);

        Assert.Equal("-INFINITY", back.Extras[AgentResultExtras.PromotionScore]);
        Assert.Equal(OcfExitCode.GenericError, (await Run("a", AgentAction.Promote)).ExitCode);
    }

    [Fact]
    public async Task Demote_Primary_BecomesSecondary()
    {
        await StartBoth();
        Assert.True((await Run("a", AgentAction.Promote)).IsSuccess);

        var demote = await Run("a", AgentAction.Demote);

        Assert.True(demote.IsSuccess, demote.ExitReason);
        Assert.Equal("Secondary", _drbd.Role(Resource, "a"));
        Assert.Equal(OcfExitCode.Success, (await Run("a", AgentAction.Monitor)).ExitCode);
    }

    [Fact]
    public async Task Drbd84_StatusIsReadFromProcDrbd()
    {
        using var old = new DrbdStandIn("8.4");
        old.Define(Resource, minor: 3);
        var a = new DrbdAgent(AgentName.Parse("ocf:linbit:drbd"), old.Options("a"), _h.Runner, TimeProvider.System);
        var b = new DrbdAgent(AgentName.Parse("ocf:linbit:drbd"), old.Options("b"), _h.Runner, TimeProvider.System);
        Assert.True((await a.ExecuteAsync(Request(AgentAction.Start), Ct)).IsSuccess);
        Assert.True((await b.ExecuteAsync(Request(AgentAction.Start), Ct)).IsSuccess);
        Assert.True((await a.ExecuteAsync(Request(AgentAction.Promote), Ct)).IsSuccess);

        var monitor = await a.ExecuteAsync(Request(AgentAction.Monitor), Ct);

        Assert.Equal(OcfExitCode.RunningPromoted, monitor.ExitCode);
        Assert.Equal("Connected", monitor.Extras["drbd-connection"]);
        Assert.Equal("Secondary", monitor.Extras["drbd-peer-role"]);
        Assert.Contains(" 3: cs:Connected ro:Primary/Secondary", File.ReadAllText(old.Options("a").DrbdProcFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAll_UndefinedResource_IsNotConfigured()
    {
        var validate = await Run("a", AgentAction.ValidateAll, new() { ["drbd_resource"] = "r9" });

        Assert.Equal(OcfExitCode.NotConfigured, validate.ExitCode);
    }

    [Fact]
    public async Task NoDrbdadmOnThePath_IsNotInstalled()
    {
        var agent = new DrbdAgent(AgentName.Parse("ocf:linbit:drbd"), _h.Native with { ToolPath = _h.Dir.Combine("empty") }, _h.Runner, TimeProvider.System);

        var monitor = await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct);

        Assert.Equal(OcfExitCode.NotInstalled, monitor.ExitCode);
    }

    [Fact]
    public async Task GarbageStatus_FailsTheActionWithAReason()
    {
        var tools = _h.Dir.Combine("garbage-tools");
        _h.Dir.WriteScript(Path.Combine("garbage-tools", "drbdsetup"), "#!/bin/sh\necho '[{\"name\": \"r0\", \"role\": 7'\n");
        _h.Dir.WriteScript(Path.Combine("garbage-tools", "drbdadm"), "#!/bin/sh\nexit 0\n");
        var agent = new DrbdAgent(AgentName.Parse("ocf:linbit:drbd"), _h.Native with { ToolPath = tools }, _h.Runner, TimeProvider.System);

        var monitor = await agent.ExecuteAsync(Request(AgentAction.Monitor), Ct);

        Assert.Equal(OcfExitCode.GenericError, monitor.ExitCode);
        Assert.Contains("invalid JSON", monitor.ExitReason, StringComparison.Ordinal);
    }

    private async Task StartBoth()
    {
        Assert.True((await Run("a", AgentAction.Start)).IsSuccess);
        Assert.True((await Run("b", AgentAction.Start)).IsSuccess);
    }

    private Task<AgentResult> Run(string node, AgentAction action, Dictionary<string, string>? extra = null)
    {
        var agent = new DrbdAgent(AgentName.Parse("ocf:linbit:drbd"), _drbd.Options(node), _h.Runner, TimeProvider.System);
        return agent.ExecuteAsync(Request(action, extra), Ct);
    }

    private static AgentRequest Request(AgentAction action, Dictionary<string, string>? extra = null)
    {
        var parameters = new Dictionary<string, string> { ["drbd_resource"] = Resource };
        foreach (var (key, value) in extra ?? [])
        {
            parameters[key] = value;
        }

        return new AgentRequest(action, "drbd_mysql") { Parameters = parameters, Timeout = TimeSpan.FromSeconds(20) };
    }

    public void Dispose()
    {
        _drbd.Dispose();
        _h.Dispose();
    }
}
