using System.Collections.Immutable;
using ClusterD.Agents;
using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Tests.Simulation;

/// <summary>
/// Whole clusters of <see cref="ControllerCore"/>s in one process on one fake clock: messages go through
/// the codec and arrive in order per pair after a delay; agents are in-memory resources that remember
/// their role (and can be told to fail); the fencer "powers off" its victim (the node's core and its
/// resources are gone). Membership is given by the test (<see cref="Crash"/>, <see cref="Start"/>):
/// views are installed on every running node, the DC is the lowest running node in node-list order.
/// </summary>
internal sealed class SimControllerCluster
{
    private readonly PriorityQueue<Action, (DateTimeOffset, long)> _events = new();
    private readonly ClusterConfig _initial;
    private readonly Dictionary<(string, string), int> _sessions = [];
    private readonly HashSet<(string, string)> _broken = [];
    private long _seq;
    private ulong _ring;

    private readonly ControllerOptions? _options;
    private readonly HashSet<string> _isolated = [];

    public SimControllerCluster(ClusterConfig config, params string[] nodes)
        : this(config, null, nodes)
    {
    }

    public SimControllerCluster(ClusterConfig config, ControllerOptions? options, params string[] nodes)
    {
        _initial = config;
        _options = options;
        NodeNames = [.. nodes];
        foreach (var node in nodes)
        {
            Nodes[node] = new SimNode(node);
        }
    }

    public DateTimeOffset Now { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public ImmutableArray<string> NodeNames { get; }

    public Dictionary<string, SimNode> Nodes { get; } = [];

    public TimeSpan MessageDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    public TimeSpan AgentDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan FenceDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    public bool FenceFails { get; set; }

    public List<ControllerEvent> Events { get; } = [];

    public List<string> Fenced { get; } = [];

    public List<AdminOutcome> Replies { get; } = [];

    /// <summary>Every watchdog effect, with its node and time, in order.</summary>
    public List<(DateTimeOffset At, string Node, ControllerEffect Effect)> WatchdogEffects { get; } = [];

    public IEnumerable<SimNode> Running => Nodes.Values.Where(n => n.Core is not null);

    public void StartAll()
    {
        foreach (var node in NodeNames)
        {
            Boot(node);
        }

        InstallView([]);
    }

    public void Start(string node)
    {
        Boot(node);
        InstallView([]);
    }

    /// <summary>The node dies at once (its resources too: a power-off); the survivors install a view without it.</summary>
    public void Crash(string node)
    {
        Nodes[node].Core = null;
        Nodes[node].Resources.Clear();
        InstallView([node]);
    }

    /// <summary>
    /// <paramref name="node"/> is cut off from every other node and keeps running: it installs a view of its own
    /// without quorum, the others one without it (it is lost to them). Messages between the two sides are lost.
    /// </summary>
    public void Isolate(string node)
    {
        foreach (var other in NodeNames.Where(n => n != node))
        {
            BreakSession(node, other);
        }

        _isolated.Add(node);
        _ring++;
        Apply(node, new ViewInput(_ring, $"1.{_ring:x}", [node], [], [.. NodeNames.Where(n => n != node && Nodes[n].Core is not null)], [], Quorate: false, null));
        InstallView([node]);
    }

    /// <summary>The session between <paramref name="a"/> and <paramref name="b"/> breaks: what is in flight, and what is sent until <see cref="OpenSession"/>, is lost.</summary>
    public void BreakSession(string a, string b)
    {
        _sessions[Pair(a, b)] = _sessions.GetValueOrDefault(Pair(a, b)) + 1;
        _broken.Add(Pair(a, b));
    }

    /// <summary>A new session between <paramref name="a"/> and <paramref name="b"/> is up: both ends are told.</summary>
    public void OpenSession(string a, string b)
    {
        _broken.Remove(Pair(a, b));
        Apply(a, new SessionOpened(b));
        Apply(b, new SessionOpened(a));
    }

    public void Admin(string node, AdminCommand command) => Apply(node, new AdminInput(++_seq, command));

    /// <summary>Any input for <paramref name="node"/> now.</summary>
    public void Input(string node, ControllerInput input) => Apply(node, input);

    /// <summary>Scheduled Event acknowledgements and detection covers, with their node and time, in order.</summary>
    public List<(DateTimeOffset At, string Node, ControllerEffect Effect)> PlatformEffects { get; } = [];

    /// <summary>A tick for <paramref name="node"/> now, whether or not it asked for one (an input arriving at any instant).</summary>
    public void Poke(string node) => Apply(node, TickInput.Instance);

    /// <summary>Runs until nothing is left to do before <paramref name="limit"/> of simulated time passed.</summary>
    public void RunFor(TimeSpan limit)
    {
        var end = Now + limit;
        while (true)
        {
            var next = NextTime();
            if (next is null || next > end)
            {
                Now = end;
                return;
            }

            Now = next.Value;
            if (_events.TryPeek(out _, out var at) && at.Item1 <= Now)
            {
                _events.Dequeue()();
                continue;
            }

            foreach (var node in Running.ToList())
            {
                if (node.Core!.NextWake is { } wake && wake <= Now)
                {
                    Apply(node.Name, TickInput.Instance);
                }
            }
        }
    }

    public bool RunUntil(Func<bool> condition, TimeSpan limit)
    {
        var end = Now + limit;
        while (!condition())
        {
            if (Now >= end)
            {
                return false;
            }

            RunFor(TimeSpan.FromMilliseconds(10));
        }

        return true;
    }

    /// <summary>The seed's shape placed: one promoted instance with the group on its node, the clone on two nodes.</summary>
    public bool SeedShapeSettled() =>
        Promoted.Count() == 1 && RoleOf(Promoted.Single().Node, "probe_port") == InstanceRole.Started
        && Nodes.Values.Count(n => n.Resources.ContainsKey("drbd_mysql")) == 2;

    /// <summary>Every event so far, one line each, for assertion messages.</summary>
    public string DescribeEvents() => string.Join('\n', Events.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Kind} {e.Message}"));

    public IEnumerable<(string Node, string Resource)> Promoted => Nodes.Values.SelectMany(n => n.Resources.Where(r => r.Value == InstanceRole.Promoted).Select(r => (n.Name, r.Key)));

    public InstanceRole RoleOf(string node, string resource) => Nodes[node].Resources.GetValueOrDefault(resource, InstanceRole.Stopped);

    private DateTimeOffset? NextTime()
    {
        DateTimeOffset? next = _events.TryPeek(out _, out var at) ? at.Item1 : null;
        foreach (var node in Running)
        {
            if (node.Core!.NextWake is { } wake && (next is null || wake < next))
            {
                next = wake < Now ? Now : wake;
            }
        }

        return next;
    }

    private void Boot(string node)
    {
        var sim = Nodes[node];
        sim.Core = new ControllerCore(node, NodeNames, _initial, _options);
        sim.Incarnation++;
    }

    private void InstallView(IReadOnlyList<string> lost)
    {
        _ring++;
        var members = NodeNames.Where(n => Nodes[n].Core is not null && !_isolated.Contains(n)).ToImmutableArray();
        var dc = members.FirstOrDefault();
        foreach (var node in members)
        {
            var sim = Nodes[node];
            var joined = members.Where(m => !sim.Known.Contains(m) || Nodes[m].Incarnation != sim.KnownIncarnation.GetValueOrDefault(m)).ToImmutableArray();
            foreach (var m in members)
            {
                sim.Known.Add(m);
                sim.KnownIncarnation[m] = Nodes[m].Incarnation;
            }

            var view = new ViewInput(_ring, $"1.{_ring:x}", members, joined, [.. lost], [], Quorate: true, dc);
            Apply(node, view);
        }
    }

    private void Apply(string node, ControllerInput input)
    {
        var sim = Nodes[node];
        if (sim.Core is not { } core)
        {
            return;
        }

        var incarnation = sim.Incarnation;
        foreach (var effect in core.Handle(input, Now))
        {
            switch (effect)
            {
                case SendMessage send:
                    var bytes = ControllerCodec.Encode(send.Message);
                    var pair = Pair(node, send.To);
                    var session = _sessions.GetValueOrDefault(pair);
                    if (_broken.Contains(pair))
                    {
                        break;
                    }

                    At(Now + MessageDelay, () =>
                    {
                        if (Nodes[send.To].Core is not null && Nodes[node].Incarnation == incarnation && _sessions.GetValueOrDefault(pair) == session)
                        {
                            Apply(send.To, new MessageInput(node, ControllerCodec.Decode(bytes, node)));
                        }
                    });
                    break;
                case RunAgent run:
                    sim.Calls.Add(run.Call.Notification is { } n
                        ? $"Notify:{run.Call.Resource}:{n.Type.ToString().ToLowerInvariant()}-{n.Operation.ToOcfName()}"
                        : $"{run.Call.Action}:{run.Call.Resource}");
                    At(Now + AgentDelay, () =>
                    {
                        if (Nodes[node].Incarnation == incarnation && Nodes[node].Core is not null)
                        {
                            Apply(node, new AgentFinished(run.Key, sim.Execute(run.Call), AgentDelay));
                        }
                    });
                    break;
                case RunFence fence:
                    At(Now + FenceDelay, () =>
                    {
                        if (!FenceFails)
                        {
                            Fenced.Add(fence.Target);
                            if (Nodes[fence.Target].Core is not null)
                            {
                                Crash(fence.Target);
                            }

                            Nodes[fence.Target].Resources.Clear();
                        }

                        Apply(node, new FenceFinished(fence.Target, !FenceFails, FenceFails ? "fence device failed" : null));
                    });
                    break;
                case PublishEvent published:
                    Events.Add(published.Event);
                    break;
                case AdminReply reply:
                    Replies.Add(reply.Outcome);
                    break;
                case AcknowledgeScheduledEvent or SetDetectionCovers:
                    PlatformEffects.Add((Now, node, effect));
                    break;
                case ArmWatchdog or FeedWatchdog or DisarmWatchdog:
                    WatchdogEffects.Add((Now, node, effect));
                    break;
            }
        }
    }

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    private void At(DateTimeOffset when, Action action) => _events.Enqueue(action, (when, ++_seq));

    internal sealed class SimNode(string name)
    {
        public string Name { get; } = name;

        public ControllerCore? Core { get; set; }

        public int Incarnation { get; set; }

        public HashSet<string> Known { get; } = [];

        public Dictionary<string, int> KnownIncarnation { get; } = [];

        /// <summary>What runs here, by primitive; survives a daemon restart, not a power-off.</summary>
        public Dictionary<string, InstanceRole> Resources { get; } = [];

        /// <summary>Resources whose next action of this kind fails ("start:mysqld").</summary>
        public HashSet<string> FailNext { get; } = [];

        public List<string> Calls { get; } = [];

        public ActionResult Execute(AgentCall call)
        {
            var key = $"{call.Action.ToString().ToLowerInvariant()}:{call.Resource}";
            if (FailNext.Remove(key))
            {
                if (call.Action == AgentAction.Monitor)
                {
                    Resources.Remove(call.Resource);
                    return new ActionResult(7);
                }

                return new ActionResult(1, Reason: "injected failure");
            }

            var promotable = call.Meta.GetValueOrDefault("promotable") == "true";
            var role = Resources.GetValueOrDefault(call.Resource, InstanceRole.Stopped);
            Score? score = promotable ? new Score(Name.EndsWith('1') ? 10 : 5) : null;
            switch (call.Action)
            {
                case AgentAction.Start:
                    Resources[call.Resource] = promotable ? InstanceRole.Unpromoted : InstanceRole.Started;
                    return new ActionResult(0, PromotionScore: score);
                case AgentAction.Stop:
                    Resources.Remove(call.Resource);
                    return new ActionResult(0);
                case AgentAction.Promote:
                    Resources[call.Resource] = InstanceRole.Promoted;
                    return new ActionResult(0, PromotionScore: score);
                case AgentAction.Demote:
                    Resources[call.Resource] = InstanceRole.Unpromoted;
                    return new ActionResult(0, PromotionScore: score);
                case AgentAction.Notify:
                    return new ActionResult(0);
                default:
                    return role switch
                    {
                        InstanceRole.Stopped => new ActionResult(7),
                        InstanceRole.Promoted => new ActionResult(8, PromotionScore: score),
                        _ => new ActionResult(0, PromotionScore: score),
                    };
            }
        }
    }
}
