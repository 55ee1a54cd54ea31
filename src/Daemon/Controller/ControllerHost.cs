using System.Collections.Immutable;
using ClusterD.Agents;
using ClusterD.Agents.Native;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;
using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
using ClusterD.Controller.Runtime;
using ClusterD.Daemon.Peers;
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
internal sealed class ControllerHost : IHostedService, IViewChangeSink, IAsyncDisposable
{
    /// <summary>How long a stopping daemon waits for its resources to move away before it leaves anyway.</summary>
    public static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(60);

    private readonly ClusterConfiguration _config;
    private readonly PeerTransport _transport;
    private readonly ILogger _logger;
    private volatile bool _trusted = true;
    private readonly DeviceWatchdog? _watchdog;
    private ViewInput? _last;

    public ControllerHost(ClusterConfiguration config, LocalIdentity identity, MessagingHost messaging, DaemonFencer fencer, TimeProvider time, ILoggerFactory loggers)
    {
        _config = config;
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
        Service = new ControllerService(core, _transport, agents, fencer, storage, time, _logger, _watchdog);
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
        return Task.CompletedTask;
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
        await Service.DisposeAsync();
        await _transport.DisposeAsync();

        // After the loop ended: disarmed already if nothing is held here; otherwise it keeps counting.
        _watchdog?.Dispose();
    }
}
