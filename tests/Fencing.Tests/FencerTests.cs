using ClusterD.Fencing.History;
using ClusterD.Fencing.Scripts;
using ClusterD.Fencing.Tests.TestSupport;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Fencing.Tests;

/// <summary>
/// The fencer on a fake clock: real <c>fence_dummy</c> runs through the script runner where the agent's
/// effect matters, a scripted agent where the order and timing of calls do. Waits are observed through
/// the history (the timer is armed before the wait is published) and the clock is moved only then.
/// </summary>
public sealed class FencerTests : IDisposable
{
    private static readonly FenceTarget Node2 = new("node2", "peer lost", "node1");
    private static readonly ClusterStatus BothOnline = ClusterStatus.AllOnline(["node1", "node2"]);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly string _power;

    public FencerTests()
    {
        _power = _dir.Combine("power");
        File.WriteAllText(_power, "on");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ClusterConfig Config(string text) => CrmParser.Parse("node node1\nnode node2\n" + text).GetConfigOrThrow();

    private string Dummy(string id, string extra = "") => $"primitive {id} stonith:fence_dummy params status_file={_power} {extra}\n";

    private IFenceAgent RealAgent(string agent) => new FenceScriptRunner(agent, Runners.Processes(),
        new FenceScriptOptions { Locator = new FenceAgentLocator([_dir.Path, FenceAgentLocator.DefaultDirectory]) });

    private Fencer Fencer(Func<string, IFenceAgent> agents, FencerOptions? options = null) => new(agents, _time, options);

    /// <summary>Node1 sees node2 lost; node2 held the promoted instance, so its fencing is the delayed one.</summary>
    private static ClusterStatus Node2LostHoldingPromoted() => new()
    {
        Quorate = true,
        Nodes = [new NodeStatus("node1", Online: true), new NodeStatus("node2", Unclean: true)],
        Resources = [new ResourceStatus("drbd", "ocf:linbit:drbd", [new ResourceInstance("node2", InstanceRole.Promoted), new ResourceInstance("node1", InstanceRole.Unpromoted)])],
    };

    private const string Drbd = "primitive drbd ocf:linbit:drbd params drbd_resource=r0\nms ms_drbd drbd\n";

    [Fact]
    public async Task FenceAsync_FenceDummyInHostList_PowersOffAndRecordsSuccess()
    {
        var fencer = Fencer(RealAgent);

        var outcome = await fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2")), BothOnline, Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal("off", File.ReadAllText(_power));
        var attempt = Assert.Single(outcome.Attempts);
        Assert.Equal(("st", 1, FenceAction.Off), (attempt.Device, attempt.Round, attempt.Action));
        var entry = Assert.Single(fencer.History.Snapshot);
        Assert.Equal(outcome.Entry, entry);
        Assert.Equal(("node2", "node1", "peer lost", FenceHistoryResult.Succeeded, "st"), (entry.Target, entry.Requester, entry.Reason, entry.Result, entry.Device));
        Assert.Equal(FenceAction.Off, entry.Action);
        Assert.Equal(_time.GetUtcNow(), entry.Requested);
        Assert.Equal(TimeSpan.Zero, entry.Duration);
        Assert.Null(entry.Detail);
    }

    [Fact]
    public async Task FenceAsync_PriorityFencingDelayByDefault_RunsTheAgentExactlyWhenItEnds()
    {
        var agent = new RecordingAgent(RealAgent("fence_dummy"), _time);
        var fencer = Fencer(_ => agent);
        using var watch = new HistoryWatch(fencer.History);
        var requested = _time.GetUtcNow();

        var fencing = fencer.FenceAsync(Node2, Config(Drbd + Dummy("st", "pcmk_host_list=node2")), Node2LostHoldingPromoted(), Ct);
        var waiting = await watch.NextWaitAsync();
        _time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromTicks(1));
        Assert.Empty(agent.Calls);
        _time.Advance(TimeSpan.FromTicks(1));
        var outcome = await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(requested + TimeSpan.FromSeconds(15), waiting.WaitingUntil);
        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal(requested + TimeSpan.FromSeconds(15), Assert.Single(agent.Calls).At);
        Assert.Equal(TimeSpan.FromSeconds(15), outcome.Entry.Duration);
        Assert.Equal("off", File.ReadAllText(_power));
    }

    [Fact]
    public async Task FenceAsync_PriorityFencingDelayZero_FencesTheDelayedNodeAtOnce()
    {
        var agent = new RecordingAgent(RealAgent("fence_dummy"), _time);
        var config = Config(Drbd + Dummy("st", "pcmk_host_list=node2") + "property priority-fencing-delay=0");

        var outcome = await Fencer(_ => agent).FenceAsync(Node2, config, Node2LostHoldingPromoted(), Ct);

        Assert.True(outcome.Succeeded);
        Assert.Equal(_time.GetUtcNow(), Assert.Single(agent.Calls).At);
    }

    [Fact]
    public async Task FenceAsync_DeviceDelayBase_IsWaitedOnTheClockBeforeThatDevice()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);
        var fencer = Fencer(_ => agent);
        using var watch = new HistoryWatch(fencer.History);
        var requested = _time.GetUtcNow();

        var fencing = fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2 pcmk_delay_base=2s")), BothOnline, Ct);
        Assert.Equal(requested + TimeSpan.FromSeconds(2), (await watch.NextWaitAsync()).WaitingUntil);
        _time.Advance(TimeSpan.FromSeconds(2));
        await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(requested + TimeSpan.FromSeconds(2), Assert.Single(agent.Calls).At);
    }

    [Fact]
    public async Task FenceAsync_DeviceDelayMax_DrawsFromTheInjectedRandom()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);
        var fencer = Fencer(_ => agent, new FencerOptions { Random = new Random(7) });
        using var watch = new HistoryWatch(fencer.History);
        var requested = _time.GetUtcNow();
        var expected = TimeSpan.FromMilliseconds(new Random(7).NextInt64(10_000));

        var fencing = fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2 pcmk_delay_max=10s")), BothOnline, Ct);
        Assert.Equal(requested + expected, (await watch.NextWaitAsync()).WaitingUntil);
        _time.Advance(expected);
        await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(requested + expected, Assert.Single(agent.Calls).At);
    }

    [Fact]
    public async Task FenceAsync_StonithActionReboot_IsWhatTheAgentIsToldUnlessTheDeviceOverridesIt()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);
        var fencer = Fencer(_ => agent);

        var reboot = await fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2") + "property stonith-action=reboot"), BothOnline, Ct);
        var overridden = await fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2 pcmk_reboot_action=off") + "property stonith-action=reboot"), BothOnline, Ct);

        Assert.Equal(FenceAction.Reboot, reboot.Entry.Action);
        Assert.Equal([FenceAction.Reboot, FenceAction.Off], agent.Calls.Select(c => c.Request.Action));
        Assert.Equal(FenceAction.Off, Assert.Single(overridden.Attempts).Action);
    }

    [Fact]
    public async Task FenceAsync_FirstDeviceFails_TheNextInConfigurationOrderFences()
    {
        var failing = new ScriptedAgent(_time, _ => ScriptedAgent.Fail());
        var fencer = Fencer(type => type == "fence_broken" ? failing : RealAgent(type));
        var config = Config("primitive st-broken stonith:fence_broken params pcmk_host_list=node2\n" + Dummy("st-dummy", "pcmk_host_list=node2"));

        var outcome = await fencer.FenceAsync(Node2, config, BothOnline, Ct);

        Assert.True(outcome.Succeeded);
        Assert.Equal(["st-broken", "st-dummy"], outcome.Attempts.Select(a => a.Device));
        Assert.False(outcome.Attempts[0].Result.Succeeded);
        Assert.Equal("st-dummy", outcome.Entry.Device);
        Assert.Equal("off", File.ReadAllText(_power));
    }

    [Fact]
    public async Task FenceAsync_EveryRoundFails_RetriesWithDoublingBackoffThenFails()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Fail());
        var fencer = Fencer(_ => agent, new FencerOptions { MaxRounds = 3, RetryBackoff = TimeSpan.FromSeconds(1) });
        using var watch = new HistoryWatch(fencer.History);
        var t0 = _time.GetUtcNow();

        var fencing = fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2")), BothOnline, Ct);
        Assert.Equal(t0 + TimeSpan.FromSeconds(1), (await watch.NextWaitAsync()).WaitingUntil);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(t0 + TimeSpan.FromSeconds(3), (await watch.NextWaitAsync()).WaitingUntil);
        _time.Advance(TimeSpan.FromSeconds(2));
        var outcome = await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.False(outcome.Succeeded);
        Assert.Equal([t0, t0 + TimeSpan.FromSeconds(1), t0 + TimeSpan.FromSeconds(3)], agent.Calls.Select(c => c.At));
        Assert.Equal([1, 2, 3], outcome.Attempts.Select(a => a.Round));
        Assert.Equal(FenceHistoryResult.Failed, outcome.Entry.Result);
        Assert.Equal("all devices failed in 3 round(s); last: exit status 1: ERROR: boom", outcome.Entry.Detail);
        Assert.Equal(TimeSpan.FromSeconds(3), outcome.Entry.Duration);
    }

    [Fact]
    public async Task FenceAsync_AgentHangsPastStonithTimeout_IsStoppedExactlyAtTheTimeout()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok) { Block = true };
        var fencer = Fencer(_ => agent, new FencerOptions { MaxRounds = 1 });
        var called = agent.NextCallAsync();

        var fencing = fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2") + "property stonith-timeout=10s"), BothOnline, Ct);
        var call = await called.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(call.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromTicks(1));
        var outcome = await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(call.Token.IsCancellationRequested);
        Assert.Equal(TimeSpan.FromSeconds(10), call.Request.Timeout);
        Assert.False(outcome.Succeeded);
        Assert.Equal("stonith-timeout (10000 ms) expired; last: stopped: stonith-timeout expired", outcome.Entry.Detail);
    }

    [Fact]
    public async Task FenceAsync_NoDeviceCanFenceTheTarget_FailsWithoutRunningAnAgent()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);

        var outcome = await Fencer(_ => agent).FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node1")), BothOnline, Ct);

        Assert.False(outcome.Succeeded);
        Assert.Empty(outcome.Attempts);
        Assert.Empty(agent.Calls);
        Assert.Equal("no fence device can fence node2 (checked st)", outcome.Entry.Detail);
    }

    [Fact]
    public async Task FenceAsync_DynamicList_AsksTheAgentOnceWithinTheLifetime()
    {
        var agent = new ScriptedAgent(_time, r => r.Action == FenceAction.List
            ? new FenceResult(true, 0, null, "vm-1,node1\nvm-2,node2\n")
            : ScriptedAgent.Ok);
        var fencer = Fencer(_ => agent);
        var config = Config("primitive st stonith:fence_cloud params pcmk_host_map=\"node1:vm-1;node2:vm-2\" pcmk_host_check=dynamic-list");

        await fencer.FenceAsync(Node2, config, BothOnline, Ct);
        _time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));
        await fencer.FenceAsync(Node2, config, BothOnline, Ct);
        _time.Advance(TimeSpan.FromTicks(1));
        var third = await fencer.FenceAsync(Node2, config, BothOnline, Ct);

        Assert.True(third.Succeeded);
        Assert.Equal(
            [FenceAction.List, FenceAction.Off, FenceAction.Off, FenceAction.List, FenceAction.Off],
            agent.Calls.Select(c => c.Request.Action));
        Assert.All(agent.Calls.Where(c => c.Request.Action == FenceAction.Off), c => Assert.Equal("vm-2", c.Request.Plug));
        Assert.All(agent.Calls.Where(c => c.Request.Action == FenceAction.List), c => Assert.Null(c.Request.Plug));
    }

    [Fact]
    public async Task FenceAsync_DynamicListWithoutTheTargetOrFailing_CannotFence()
    {
        var lists = new ScriptedAgent(_time, r => r.Action == FenceAction.List ? new FenceResult(true, 0, null, "node1\n") : ScriptedAgent.Ok);
        var broken = new ScriptedAgent(_time, r => ScriptedAgent.Fail());
        var fencer = Fencer(type => type == "fence_a" ? lists : broken);
        var config = Config("primitive st-a stonith:fence_a\nprimitive st-b stonith:fence_b");

        var outcome = await fencer.FenceAsync(Node2, config, BothOnline, Ct);

        Assert.False(outcome.Succeeded);
        Assert.Equal("no fence device can fence node2 (checked st-a, st-b)", outcome.Entry.Detail);
        Assert.Equal([FenceAction.List], broken.Calls.Select(c => c.Request.Action));
    }

    [Fact]
    public async Task FenceAsync_StatusHostCheckWithFenceDummy_AsksStatusThenPowersOff()
    {
        var agent = new RecordingAgent(RealAgent("fence_dummy"), _time);

        var outcome = await Fencer(_ => agent).FenceAsync(Node2, Config(Dummy("st", "pcmk_host_check=status pcmk_host_argument=none")), BothOnline, Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal([FenceAction.Status, FenceAction.Off], agent.Calls.Select(c => c.Request.Action));
        Assert.Equal("off", File.ReadAllText(_power));
    }

    [Fact]
    public async Task FenceAsync_SameNodeWhileRunning_JoinsTheRunningOperation()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok) { Block = true };
        var fencer = Fencer(_ => agent);
        var called = agent.NextCallAsync();
        var config = Config(Dummy("st", "pcmk_host_list=node2"));

        var first = fencer.FenceAsync(Node2, config, BothOnline, Ct);
        await called.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var second = fencer.FenceAsync(Node2 with { Requester = "clusterctl" }, config, BothOnline, Ct);
        agent.Release();
        var outcomes = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Single(agent.Calls);
        Assert.Same(outcomes[0], outcomes[1]);
        Assert.Single(fencer.History.Snapshot);
    }

    [Fact]
    public async Task FenceAsync_CancelledDuringTheDelay_RecordsFailedAndThrows()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);
        var fencer = Fencer(_ => agent);
        using var watch = new HistoryWatch(fencer.History);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var fencing = fencer.FenceAsync(Node2, Config(Drbd + Dummy("st", "pcmk_host_list=node2")), Node2LostHoldingPromoted(), cts.Token);
        await watch.NextWaitAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Empty(agent.Calls);
        var entry = Assert.Single(fencer.History.Snapshot);
        Assert.Equal(FenceHistoryResult.Failed, entry.Result);
        Assert.Equal("cancelled by node1's side", entry.Detail);
    }

    [Fact]
    public async Task History_MoreOperationsThanTheLimit_KeepsTheMostRecent()
    {
        var fencer = Fencer(_ => new ScriptedAgent(_time, _ => ScriptedAgent.Ok), new FencerOptions { HistoryLimit = 3 });
        var config = Config(Dummy("st", "pcmk_host_list=node2"));

        for (var i = 0; i < 5; i++)
        {
            await fencer.FenceAsync(Node2 with { Reason = $"r{i}" }, config, BothOnline, Ct);
        }

        Assert.Equal(["r2", "r3", "r4"], fencer.History.Snapshot.Select(e => e.Reason));
        Assert.Equal([3L, 4L, 5L], fencer.History.Snapshot.Select(e => e.Id));
    }

    [Fact]
    public async Task WatchAsync_Operation_StreamsPendingThenTheResult()
    {
        var fencer = Fencer(_ => new ScriptedAgent(_time, _ => ScriptedAgent.Ok));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var changes = fencer.History.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var first = changes.MoveNextAsync();

        await fencer.FenceAsync(Node2, Config(Dummy("st", "pcmk_host_list=node2")), BothOnline, Ct);

        Assert.True(await first);
        Assert.Equal(FenceHistoryResult.Pending, changes.Current.Result);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(FenceHistoryResult.Succeeded, changes.Current.Result);
        Assert.Equal(changes.Current.Id, fencer.History.Snapshot[0].Id);
        await changes.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();
}
