using System.Collections.Concurrent;
using ClusterD.Agents;
using ClusterD.Controller.Core;
using ClusterD.Controller.Runtime;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using Microsoft.Extensions.Logging.Abstractions;
using ClusterD.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Controller.Tests.Runtime;

/// <summary>
/// The controller's loop driving a real <see cref="DeviceWatchdog"/> whose device is a regular file the test
/// reads (the stand-in; the host's /dev/watchdog is never opened): one node, one Dummy resource, a fake clock.
/// </summary>
public sealed class ControllerServiceWatchdogTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("controller-watchdog-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly GatedStorage _storage = new();
    private readonly ConcurrentQueue<ControllerEvent> _events = new();
    private readonly string _device;
    private readonly DeviceWatchdog _watchdog = new(NullLogger.Instance);
    private readonly ControllerService _service;

    public ControllerServiceWatchdogTests()
    {
        _device = Path.Combine(_dir.FullName, "watchdog");
        File.WriteAllText(_device, "");
        var config = CrmParser.Parse("""
            primitive d ocf:heartbeat:Dummy op monitor interval=3600s
            property stonith-enabled=false
            """).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };
        var core = new ControllerCore("n1", ["n1"], config, new ControllerOptions { Watchdog = new WatchdogSettings(_device, Timeout) });
        _service = new ControllerService(core, new NoTransport(), new MemoryAgents(), new NoFencer(), _storage, _time, NullLogger.Instance, _watchdog);
        _service.Published += _events.Enqueue;
    }

    private string Written => File.ReadAllText(_device);

    public ValueTask InitializeAsync()
    {
        _service.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _storage.Release();
        await _service.DisposeAsync();
        _watchdog.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Loop_HoldsAResource_ArmsAndFeedsEveryQuarterTimeout()
    {
        Assert.Equal("", Written);
        await StartResourceAsync();
        Assert.Equal(".", Written);

        for (var feeds = 2; feeds <= 5; feeds++)
        {
            _time.Advance(Timeout / 4);
            await UntilAsync(() => Written.Length == feeds);
        }

        Assert.Equal(".....", Written);
        Assert.Contains("timeout ioctls skipped", _watchdog.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_Hangs_TheWatchdogGoesQuietUntilItRunsAgain()
    {
        await StartResourceAsync();
        _storage.Block();
        var command = _service.ExecuteAsync(new SetMaintenance(true), TestContext.Current.CancellationToken);
        await _storage.Entered.WaitAsync(Wait, TestContext.Current.CancellationToken);
        var before = Written;

        // The loop is stuck inside the storage call: however long the clock runs, nothing feeds the watchdog,
        // which would have reset the node after 4 s.
        for (var i = 0; i < 12; i++)
        {
            _time.Advance(Timeout / 4);
        }

        Assert.Equal(before, Written);

        _storage.Release();
        await command.WaitAsync(Wait, TestContext.Current.CancellationToken);
        _time.Advance(Timeout / 4);
        await UntilAsync(() => Written.Length > before.Length);
    }

    [Fact]
    public async Task Loop_QuorumLost_StopsFeedingWithoutMagicClose()
    {
        await StartResourceAsync();
        _service.Post(new ViewInput(2, "1.2", ["n1"], [], [], [], Quorate: false, null));
        await UntilAsync(() => _events.Any(e => e.Kind == ControllerEventKind.Watchdog && e.Message.Contains("no longer fed", StringComparison.Ordinal)));
        var starved = Written;

        for (var i = 0; i < 12; i++)
        {
            _time.Advance(Timeout / 4);
        }

        // A round trip through the loop: everything before it was handled.
        await _service.ExecuteAsync(new SetStandby("n1", true), TestContext.Current.CancellationToken);
        Assert.Equal(starved, Written);
        Assert.DoesNotContain('V', Written);
        Assert.Equal("this node's partition (view 1.2) has no quorum and no-quorum-policy is stop", _service.Snapshot.Watchdog!.Starving);
    }

    [Fact]
    public async Task CleanShutdown_ResourcesStopped_DisarmsWithTheMagicCloseBeforeLeaving()
    {
        await StartResourceAsync();

        var reason = await _service.PrepareToLeaveAsync(Wait);

        Assert.Equal("nothing is active on n1", reason);
        Assert.EndsWith("V", Written, StringComparison.Ordinal);
        Assert.False(_service.Snapshot.Watchdog!.Armed);
        Assert.Contains("disarmed", _watchdog.Detail, StringComparison.Ordinal);
    }

    private async Task StartResourceAsync()
    {
        _service.Post(new ViewInput(1, "1.1", ["n1"], ["n1"], [], [], Quorate: true, "n1"));
        await UntilAsync(() => _events.Any(e => e.Kind == ControllerEventKind.Watchdog && e.Message.Contains("armed", StringComparison.Ordinal)));
        await UntilAsync(() => Written.Length == 1);
    }

    /// <summary>Waits for a condition the loop makes true on its own thread, with a deadline.</summary>
    private async Task UntilAsync(Func<bool> condition) =>
        Assert.True(
            await Poll.UntilAsync(condition, Wait, TimeSpan.FromMilliseconds(5), TestContext.Current.CancellationToken),
            "condition not met; events:\n" + string.Join('\n', _events.Select(e => $"{e.Kind} {e.Message}")));

    /// <summary>Resources that remember whether they run.</summary>
    private sealed class MemoryAgents : IControllerAgents
    {
        private readonly ConcurrentDictionary<string, bool> _running = new();

        public Task<ActionResult> RunAsync(AgentCall call, CancellationToken cancellationToken)
        {
            switch (call.Action)
            {
                case AgentAction.Start:
                    _running[call.Resource] = true;
                    return Task.FromResult(ActionResult.Ok);
                case AgentAction.Stop:
                    _running[call.Resource] = false;
                    return Task.FromResult(ActionResult.Ok);
                default:
                    return Task.FromResult(_running.GetValueOrDefault(call.Resource) ? ActionResult.Ok : new ActionResult(7));
            }
        }
    }

    /// <summary>Storage whose configuration write can be made to hang (the loop calls it inline).</summary>
    private sealed class GatedStorage : IControllerStorage
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Block() => _open.Reset();

        public void Release() => _open.Set();

        public void SaveConfig(ClusterConfig config)
        {
            _entered.TrySetResult();
            _open.Wait();
        }

        public void RecordDecision(ClusterConfig config, ClusterStatus status, DateTimeOffset now, TransitionGraph graph)
        {
        }
    }
}
