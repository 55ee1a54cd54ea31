using System.Collections.Immutable;
using ClusterD.Agents;
using ClusterD.Agents.Native;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;
using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
using ClusterD.Controller.Runtime;
using ClusterD.Daemon.Peers;
using ClusterD.Fencing.Azure;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using ClusterD.Membership.Views;
using ClusterD.ResourceManager.Execution;

namespace ClusterD.Daemon.Controller;

/// <summary>
/// Composes the controller into the daemon: its messages over the peer network, views from membership
/// (translated to node names through the one node list), agents, fencer and storage; on stop it first
/// moves this node's resources away (Pacemaker's shutdown), bounded by <see cref="LeaveTimeout"/>.
/// </summary>
internal sealed class ControllerHost : IHostedService, IViewChangeSink, IDetectionCoverSink, IAsyncDisposable
{
    /// <summary>How long a stopping daemon waits for its resources to move away before it leaves anyway.</summary>
    public static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(60);

    private readonly ClusterConfiguration _config;
    private readonly PeerTransport _transport;
    private readonly ILogger _logger;
    private volatile bool _trusted = true;
    private readonly DeviceWatchdog? _watchdog;
    private readonly IServiceProvider _services;
    private readonly ScheduledEventsPoller? _scheduledEvents;
    private ViewInput? _last;

    public ControllerHost(ClusterConfiguration config, LocalIdentity identity, MessagingHost messaging, DaemonFencer fencer, TimeProvider time, ILoggerFactory loggers,
        IServiceProvider services)
    {
        _config = config;
        _services = services;
        _logger = loggers.CreateLogger("ClusterD.Controller");
        var storage = new DaemonStorage(config.ClusterD.StateDir);
        var loaded = storage.Load();
        foreach (var warning in loaded.Warnings)
        {
            DaemonLog.ControllerConfigWarning(_logger, warning);
        }

        var initial = loaded.Config;

        var local = identity.Node.Name;
        var options = new ControllerOptions
        {
            Watchdog = config.ClusterD.Watchdog is { } watchdog ? new WatchdogSettings(watchdog.Device, watchdog.Timeout) : null,
            TwoNodeQuorum = config.Quorum.TwoNode,
        };
        var core = new ControllerCore(local, config.Nodes.Nodes.Select(n => n.Name), initial, options);
        _transport = new PeerTransport(messaging.Network, config.Nodes, local, time, _logger);
        var processes = new AgentProcessRunner(new AgentProcessRunnerOptions(), time);
        var native = new NativeAgentOptions();
        var scripts = new ScriptAgentOptions();
        if (config.ClusterD.AgentStateDir is { } agentState)
        {
            native = native with { StateDirectory = agentState };
            scripts = scripts with { ResourceTempDirectory = agentState };
        }

        var registry = new AgentRegistry().RegisterBuiltIns(native, time, processes);
        var agents = new LocalAgents(new AgentCallRunner(new AgentResolver(registry, scripts, processes, loggers), local));
        Fencer = fencer;
        _watchdog = config.ClusterD.Watchdog is null ? null : new DeviceWatchdog(_logger);
        Service = new ControllerService(core, _transport, agents, fencer, storage, time, _logger, _watchdog) { CoverSink = this };
        fencer.Fencer.WitnessDecided += decision => Service.Post(new WitnessDecided(decision));
        _scheduledEvents = CreatePoller(config.ClusterD.ScheduledEvents, time);
        messaging.Network.Handle(ControllerCodec.Topic, message =>
        {
            Service.Receive(config.Nodes.NameOf(new Membership.NodeId(message.From)), message.Payload.Span);
            return ValueTask.FromResult<byte[]?>(null);
        });
        messaging.Network.HandleSessionOpened(peer => Service.Post(new SessionOpened(config.Nodes.NameOf(new Membership.NodeId(peer)))));
    }

    public ControllerService Service { get; }

    public DaemonFencer Fencer { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Service.Start();
        _scheduledEvents?.Start();
        return Task.CompletedTask;
    }

    /// <summary>Announced freezes of peers go to membership (resolved when first needed: membership reports views here).</summary>
    public void SetCovers(ImmutableArray<DetectionWindow> covers)
    {
        _services.GetRequiredService<MembershipService>().SetCovers(
            [.. covers.Select(c => (Node: _config.Nodes.FindByName(c.Node), c.From, c.Until)).Where(c => c.Node is not null).Select(c => (c.Node!.Id, c.From, c.Until))]);
    }

    private ScheduledEventsPoller? CreatePoller(ScheduledEventsOptions options, TimeProvider time)
    {
        if (options.Mode == ScheduledEventsMode.Off)
        {
            return null;
        }

        // Auto: only where Azure's hypervisor says this is an Azure VM; nothing is sent anywhere else.
        if (options.Mode == ScheduledEventsMode.Auto && !AzureHost.IsAzureVm())
        {
            Service.ScheduledEventsState = () => "off: not an Azure VM (no Azure chassis asset tag); scheduled_events { mode: on } polls anyway";
            return null;
        }

        try
        {
            var client = new ScheduledEventsClient(options.Endpoint, options.CaBundle, time, _logger);
            var poller = new ScheduledEventsPoller(client, options.Mode, options.Interval, Service.Post, time, _logger);
            Service.Acknowledger = poller;
            Service.ScheduledEventsState = () => poller.State;
            return poller;
        }
        catch (AzureCredentialException e)
        {
            DaemonLog.ControllerConfigWarning(_logger, $"clusterd.scheduled_events: {e.Message}; Scheduled Events are off");
            return null;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var reason = await Service.PrepareToLeaveAsync(LeaveTimeout);
        DaemonLog.Leaving(_logger, reason ?? $"resources did not move away within {LeaveTimeout.TotalSeconds:0} s");
    }

    /// <summary>Membership doubts its own view after a pause of this node: the controller acts on nothing until it trusts it again.</summary>
    public void PublishTrust(ViewTrustChange change, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(change);
        _trusted = change.Trusted;
        if (_last is { } last)
        {
            Service.Post(last with { Joined = [], Lost = [], Left = [], Trusted = change.Trusted });
        }
    }

    public void Publish(ViewChange change, DateTimeOffset installedAt)
    {
        ArgumentNullException.ThrowIfNull(change);
        var nodes = _config.Nodes;
        ImmutableArray<string> Names(IEnumerable<Membership.NodeId> ids) => [.. ids.Select(nodes.NameOf)];
        var view = change.Current;
        var input = new ViewInput(
            view.Ring.Seq,
            view.Ring.ToString(),
            Names(view.Members.Select(m => m.Id)),
            Names(change.Joined),
            Names(change.Lost),
            Names(change.Left),
            change.Quorum.Quorate,
            change.Dc is { } dc ? nodes.NameOf(dc) : null,
            _trusted)
        {
            Detection = change.LostSilence,
        };
        _last = input;
        Service.Post(input);
    }

    public async ValueTask DisposeAsync()
    {
        if (_scheduledEvents is { } poller)
        {
            await poller.DisposeAsync();
        }

        await Service.DisposeAsync();
        await _transport.DisposeAsync();

        // After the loop ended: disarmed already if nothing is held here; otherwise it keeps counting.
        _watchdog?.Dispose();
    }
}
