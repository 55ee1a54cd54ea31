using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using ClusterD.Agents;
using ClusterD.Controller.Core;
using ClusterD.Controller.Runtime;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.FailoverHarness;

/// <summary>
/// Real <see cref="ControllerService"/>s on <see cref="TimeProvider.System"/>, wired in one process: messages go
/// through the codec to the other service's <see cref="ControllerService.Receive"/> at once; agents are
/// in-memory resources that remember their role and answer after <c>agentDelay</c> (zero: after a yield,
/// so a result still comes back as a separate input, as from a real agent); the fencer succeeds at once;
/// nothing is persisted. Every agent call and fence is stamped (<see cref="Stopwatch"/> ticks) when the
/// shell starts it and when it returns, for the cluster's share of a failover measured from outside the core.
/// </summary>
internal sealed class InProcessControllers : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ControllerService> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, InstanceRole>> _resources = new(StringComparer.Ordinal);
    private readonly TimeSpan _agentDelay;
    private readonly string _preferPromoted;

    public InProcessControllers(ClusterConfig config, string[] nodes, string preferPromoted, TimeSpan agentDelay)
    {
        _agentDelay = agentDelay;
        _preferPromoted = preferPromoted;
        foreach (var node in nodes)
        {
            _resources[node] = new Dictionary<string, InstanceRole>(StringComparer.Ordinal);
            var core = new ControllerCore(node, nodes, config);
            _services[node] = new ControllerService(core, new Transport(this, node), new Agents(this, node), new Fencer(this), new NoStorage(),
                TimeProvider.System, NullLogger.Instance);
        }
    }

    /// <summary>Agent calls and fences as the shell ran them, in start order: (node, what, started, returned) in Stopwatch ticks.</summary>
    public List<(string Node, string What, long Started, long Returned)> Calls { get; } = [];

    public ControllerService this[string node] => _services[node];

    public void Start()
    {
        foreach (var service in _services.Values)
        {
            service.Start();
        }
    }

    public InstanceRole RoleOf(string node, string resource)
    {
        lock (_resources)
        {
            return _resources.TryGetValue(node, out var here) ? here.GetValueOrDefault(resource, InstanceRole.Stopped) : InstanceRole.Stopped;
        }
    }

    /// <summary>The node dies: its service stops, messages to it are dropped, and what ran there is gone (a power-off).</summary>
    public async Task KillAsync(string node)
    {
        if (_services.TryRemove(node, out var service))
        {
            await service.DisposeAsync();
        }

        lock (_resources)
        {
            _resources[node].Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _services.Keys.ToArray())
        {
            await KillAsync(node);
        }
    }

    private int Record(string node, string what, long started)
    {
        lock (Calls)
        {
            Calls.Add((node, what, started, 0));
            return Calls.Count - 1;
        }
    }

    private void Returned(int index)
    {
        var now = Stopwatch.GetTimestamp();
        lock (Calls)
        {
            Calls[index] = Calls[index] with { Returned = now };
        }
    }

    /// <summary>Stateful's and Dummy's behaviour: a role per primitive, a promotion score that favours one node.</summary>
    private ActionResult Execute(string node, AgentCall call)
    {
        var promotable = call.Meta.GetValueOrDefault("promotable") == "true";
        Score? score = promotable ? new Score(node == _preferPromoted ? 10 : 5) : null;
        lock (_resources)
        {
            var here = _resources[node];
            var role = here.GetValueOrDefault(call.Resource, InstanceRole.Stopped);
            switch (call.Action)
            {
                case AgentAction.Start:
                    here[call.Resource] = promotable ? InstanceRole.Unpromoted : InstanceRole.Started;
                    return new ActionResult(0, PromotionScore: score);
                case AgentAction.Stop:
                    here.Remove(call.Resource);
                    return new ActionResult(0);
                case AgentAction.Promote:
                    here[call.Resource] = InstanceRole.Promoted;
                    return new ActionResult(0, PromotionScore: score);
                case AgentAction.Demote:
                    here[call.Resource] = InstanceRole.Unpromoted;
                    return new ActionResult(0, PromotionScore: score);
                case AgentAction.Monitor:
                    return role switch
                    {
                        InstanceRole.Stopped => new ActionResult(7),
                        InstanceRole.Promoted => new ActionResult(8, PromotionScore: score),
                        _ => new ActionResult(0, PromotionScore: score),
                    };
                default:
                    return new ActionResult(0);
            }
        }
    }

    private sealed class Transport(InProcessControllers owner, string from) : IControllerTransport
    {
        public void Send(string node, byte[] payload)
        {
            if (owner._services.TryGetValue(node, out var to))
            {
                to.Receive(from, payload);
            }
        }
    }

    private sealed class Agents(InProcessControllers owner, string node) : IControllerAgents
    {
        public async Task<ActionResult> RunAsync(AgentCall call, CancellationToken cancellationToken)
        {
            var index = owner.Record(node, $"{call.Action.ToString().ToLowerInvariant()} {call.Resource}" + (call.Interval > TimeSpan.Zero ? " (recurring)" : ""),
                Stopwatch.GetTimestamp());
            if (owner._agentDelay > TimeSpan.Zero)
            {
                await Task.Delay(owner._agentDelay, cancellationToken);
            }
            else
            {
                await Task.Yield();
            }

            var result = owner.Execute(node, call);
            owner.Returned(index);
            return result;
        }
    }

    private sealed class Fencer(InProcessControllers owner) : IControllerFencer
    {
        public async Task<(bool Succeeded, string? Reason, bool PowerOnDeferred)> FenceAsync(string target, string device, string reason, ClusterConfig config,
            ClusterStatus status, CancellationToken cancellationToken)
        {
            var index = owner.Record("-", "fence " + target, Stopwatch.GetTimestamp());
            await Task.Yield();
            owner.Returned(index);
            return (true, null, false);
        }
    }

    private sealed class NoStorage : IControllerStorage
    {
        public void SaveConfig(ClusterConfig config)
        {
        }

        public void RecordDecision(ClusterConfig config, ClusterStatus status, DateTimeOffset now, TransitionGraph graph)
        {
        }
    }

    /// <summary>The view every member installs: <paramref name="members"/> in ring <paramref name="seq"/>, the first member DC (lowest id, as membership elects).</summary>
    public static ViewInput View(ulong seq, string[] members, string[] joined, string[] lost) =>
        new(seq, $"1.{seq:x}", [.. members], [.. joined], [.. lost], ImmutableArray<string>.Empty, Quorate: true, Dc: members[0]);
}
