using System.Collections.Immutable;
using ClusterD.AzureArmStub;
using ClusterD.Controller.Core;
using ClusterD.Controller.Runtime;
using ClusterD.Fencing.Azure;
using ClusterD.Membership.Configuration;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using ClusterD.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Controller.Tests.Runtime;

/// <summary>
/// The poller against the local instance metadata endpoint (<see cref="ArmStub"/>, real HTTPS) feeding a real
/// <see cref="ControllerService"/>: what the stub lists reaches the core, and the core's decisions reach the stub
/// (acknowledgements) and membership (covers).
/// </summary>
public sealed class ScheduledEventsPollerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("scheduled-events-");
    private readonly Covers _covers = new();
    private ArmStub _stub = null!;
    private ControllerService _service = null!;
    private ScheduledEventsPoller _poller = null!;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.FullName, TestContext.Current.CancellationToken);
        var config = CrmParser.Parse("primitive d ocf:heartbeat:Dummy\nproperty stonith-enabled=false").GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };
        var core = new ControllerCore("n1", ["n1", "n2"], config);
        _service = new ControllerService(core, new NoTransport(), new NoAgents(), new NoFencer(), new NoStorage(), TimeProvider.System, NullLogger.Instance) { CoverSink = _covers };
        var client = new ScheduledEventsClient(_stub.BaseAddress, _stub.CaBundle, TimeProvider.System, NullLogger.Instance);
        _poller = new ScheduledEventsPoller(client, ScheduledEventsMode.On, TimeSpan.FromSeconds(1), _service.Post, TimeProvider.System, NullLogger.Instance);
        _service.Acknowledger = _poller;
        _service.ScheduledEventsState = () => _poller.State;
        _service.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _poller.DisposeAsync();
        await _service.DisposeAsync();
        await _stub.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Poll_RebootOfThisNodeAndFreezeOfThePeer_AcknowledgedAtTheStubAndCovered()
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(15);
        _stub.SetScheduledEvents(
            new StubScheduledEvent("ev-reboot", "Reboot", ["n1"], NotBefore: notBefore),
            new StubScheduledEvent("ev-freeze", "Freeze", ["n2"], NotBefore: notBefore, DurationSeconds: 12));

        _poller.Start();

        await UntilAsync(() => _stub.StartRequests.Count > 0);
        Assert.Equal(["ev-reboot"], _stub.StartRequests);
        await UntilAsync(() => _covers.Last is { Length: 1 });
        var cover = _covers.Last!.Value.Single();
        Assert.Equal(("n2", "ev-freeze"), (cover.Node, cover.EventId));
        Assert.Equal(TimeSpan.FromSeconds(12), cover.Until - cover.From);
        await UntilAsync(() => _service.Snapshot.ScheduledEvents.Length == 2);
        Assert.True(_service.Snapshot.ScheduledEvents.Single(e => e.EventId == "ev-reboot").Acknowledged);
        Assert.StartsWith("polling https://127.0.0.1:", _service.Snapshot.ScheduledEventsState, StringComparison.Ordinal);

        // The event is over: no longer listed, no cover any more.
        _stub.SetScheduledEvents();
        await UntilAsync(() => _covers.Last is { Length: 0 });
        Assert.All(_stub.CallsOf("scheduledEvents"), c => Assert.Equal(("2020-07-01", true), (c.ApiVersion, c.MetadataHeader)));
    }

    [Fact]
    public async Task AutoMode_NothingListens_StopsPolling()
    {
        using var client = new ScheduledEventsClient(new Uri("http://127.0.0.1:9/"), null, TimeProvider.System, NullLogger.Instance);
        await using var poller = new ScheduledEventsPoller(client, ScheduledEventsMode.Auto, TimeSpan.FromSeconds(1), _service.Post, TimeProvider.System, NullLogger.Instance);

        poller.Start();

        await UntilAsync(() => poller.State.StartsWith("off:", StringComparison.Ordinal));
    }

    private static async Task UntilAsync(Func<bool> condition) =>
        Assert.True(await Poll.UntilAsync(condition, Wait, TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken), "condition not met in time");

    private sealed class Covers : IDetectionCoverSink
    {
        private readonly Lock _gate = new();
        private ImmutableArray<DetectionWindow>? _last;

        public ImmutableArray<DetectionWindow>? Last
        {
            get
            {
                lock (_gate)
                {
                    return _last;
                }
            }
        }

        public void SetCovers(ImmutableArray<DetectionWindow> covers)
        {
            lock (_gate)
            {
                _last = covers;
            }
        }
    }

    private sealed class NoAgents : IControllerAgents
    {
        public Task<ActionResult> RunAsync(AgentCall call, CancellationToken cancellationToken) => Task.FromResult(new ActionResult(7));
    }
}
