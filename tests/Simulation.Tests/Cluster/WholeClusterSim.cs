using System.Collections.Immutable;
using System.Globalization;
using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
using ClusterD.Membership.Views;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.TestKit;
using ClusterD.TestKit.Simulation;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>
/// A whole two-node cluster in one process under one fake clock: the real membership cores
/// (<see cref="SimCluster"/>: heartbeats over a seeded lossy network, views, quorum, DC choice) and one
/// real <see cref="ControllerCore"/> per node, fed with the views their own membership installs, talking
/// over <see cref="SimSessionNetwork"/> through the real <see cref="ControllerCodec"/>; in-memory agents
/// that can fail or hang, and a fencer that powers its victim off and can fail. Everything random comes
/// from the seed, so a run replays exactly, and <see cref="Trace"/> tells it. The safety invariants are
/// checked after every step (<see cref="Violations"/>).
/// </summary>
internal sealed partial class WholeClusterSim
{
    private static readonly TimeSpan MinStep = TimeSpan.FromMilliseconds(1);

    private readonly SimCluster _membership;
    private readonly SimSessionNetwork _sessions;
    private readonly SimHost[] _hosts;
    private readonly ImmutableArray<string> _names;
    private readonly Random _random;
    private readonly PriorityQueue<Action, (TimeSpan At, long Seq)> _events = new();
    private readonly ClusterConfig _initial;
    private readonly DateTimeOffset _epoch;
    private readonly TimeSpan[] _tickedAt;
    private int _historySeen;
    private long _seq;

    public WholeClusterSim(int seed, ClusterConfig? config = null)
    {
        Seed = seed;
        _membership = new SimCluster(TestConfigs.ForNodes(2), seed);
        _names = [.. _membership.Config.Nodes.Nodes.Select(n => n.Name)];
        _sessions = new SimSessionNetwork(_names.Length, unchecked(seed * 31 + 7));
        _random = new Random(unchecked(seed * 17 + 3));
        _hosts = [.. _names.Select((n, i) => new SimHost(i, n))];
        _tickedAt = new TimeSpan[_names.Length];
        _initial = config ?? SimShape.Config();
        _epoch = _membership.Time.GetUtcNow();
        _sessions.IsUp = node => _hosts[node].Controller is not null;
    }

    public int Seed { get; }

    public TimeSpan Now => _membership.Now;

    public IReadOnlyList<SimHost> Hosts => _hosts;

    /// <summary>What happened, one line each, with the simulated time: faults, views, agent calls, fences, commands, decisions.</summary>
    public List<string> Trace { get; } = [];

    public List<string> Violations { get; } = [];

    public void PowerOnAll()
    {
        foreach (var host in _hosts)
        {
            PowerOn(host.Index);
        }
    }

    /// <summary>Runs until <paramref name="end"/>, a violation, or <paramref name="until"/> holds; returns whether it held.</summary>
    public bool RunUntil(TimeSpan end, Func<bool>? until = null)
    {
        while (Now < end && Violations.Count == 0)
        {
            var next = NextTime(end);
            if (next > Now)
            {
                _membership.Time.Advance(next - Now);
            }

            Step();
            CheckInvariants();
            if (until?.Invoke() == true)
            {
                return true;
            }
        }

        return false;
    }

    private TimeSpan NextTime(TimeSpan end)
    {
        var next = end;
        void Consider(TimeSpan? at)
        {
            if (at is { } t && t < next)
            {
                next = t < Now ? Now : t;
            }
        }

        foreach (var node in _membership.Nodes.Where(n => n.IsRunning))
        {
            Consider(node.Core!.NextWakeup(Now));
        }

        Consider(_membership.Network.NextArrival);
        Consider(_sessions.NextDue);
        Consider(_events.TryPeek(out _, out var at) ? at.At : null);
        foreach (var host in _hosts.Where(h => h.Running))
        {
            if (host.NextWake is { } wake)
            {
                var due = wake - _epoch;

                // Ticked at this instant already and still due: come back a little later rather than spin.
                Consider(due <= _tickedAt[host.Index] ? _tickedAt[host.Index] + MinStep : due);
            }
        }

        return next;
    }

    private void Step()
    {
        _membership.Step();
        DrainViews();
        _sessions.DeliverDue(Now, Deliver, SessionOpened);
        while (_events.TryPeek(out _, out var at) && at.At <= Now)
        {
            _events.Dequeue()();
            DrainViews();
        }

        foreach (var host in _hosts.Where(h => h.Running))
        {
            if (host.NextWake is { } wake && wake - _epoch <= Now && _tickedAt[host.Index] < Now)
            {
                _tickedAt[host.Index] = Now;
                Apply(host.Index, TickInput.Instance);
            }
        }
    }

    /// <summary>Hands every view membership installed since the last call to its node's controller, and closes the sessions to lost nodes.</summary>
    private void DrainViews()
    {
        while (_historySeen < _membership.History.Count)
        {
            var (node, change) = _membership.History[_historySeen++];
            foreach (var gone in change.Lost.Concat(change.Left))
            {
                // SessionRules: a lost or departed peer's session is closed at once.
                _membership.Config.Nodes.TryGetIndex(gone, out var other);
                _sessions.Break(node, other, Now);
            }

            var input = ToInput(change);
            Log($"{_names[node]} view {input.RingId} members [{string.Join(",", input.Members)}] quorate {input.Quorate} dc {input.Dc ?? "-"}"
                + (input.Lost.IsEmpty ? "" : $" lost [{string.Join(",", input.Lost)}]") + (input.Joined.IsEmpty ? "" : $" joined [{string.Join(",", input.Joined)}]"));
            Apply(node, input);
        }
    }

    private ViewInput ToInput(ViewChange change)
    {
        var nodes = _membership.Config.Nodes;
        return new ViewInput(
            change.Current.Ring.Seq,
            change.Current.Ring.ToString(),
            [.. change.Current.Members.Select(m => nodes.NameOf(m.Id))],
            [.. change.Joined.Select(nodes.NameOf)],
            [.. change.Lost.Select(nodes.NameOf)],
            [.. change.Left.Select(nodes.NameOf)],
            change.Quorum.Quorate,
            change.Dc is { } dc ? nodes.NameOf(dc) : null);
    }

    private void SessionOpened(int a, int b)
    {
        Log($"session {_names[a]}-{_names[b]} opens");
        Apply(a, new SessionOpened(_names[b]));
        Apply(b, new SessionOpened(_names[a]));
    }

    private void Deliver(int from, int to, byte[] payload)
    {
        if (_hosts[to].Controller is null)
        {
            return;
        }

        Apply(to, new MessageInput(_names[from], ControllerCodec.Decode(payload, _names[from])));
    }

    /// <summary>One input to a node's controller (queued while it is frozen), and its effects performed.</summary>
    private void Apply(int node, ControllerInput input)
    {
        var host = _hosts[node];
        if (host.Controller is not { } core)
        {
            return;
        }

        if (host.Frozen)
        {
            host.Inbox.Add(input);
            return;
        }

        var effects = core.Handle(input, _epoch + Now);

        // NextWake changes only when the core handles something (and costs a status build): keep it.
        host.NextWake = core.NextWake;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendMessage send:
                    _sessions.Send(node, _names.IndexOf(send.To), ControllerCodec.Encode(send.Message), Now);
                    break;
                case RunAgent run:
                    StartAgent(host, run);
                    break;
                case RunFence fence:
                    CheckSender(host, $"fence of {fence.Target}");
                    StartFence(host, fence);
                    break;
                case PersistConfig persist:
                    host.Persisted = persist.Config;
                    break;
                case PublishEvent published:
                    OnEvent(host, published.Event);
                    break;
                case AdminReply reply:
                    Log($"{host.Name} admin #{reply.RequestId}: {reply.Outcome.Code} {reply.Outcome.Message}");
                    _replies[reply.RequestId] = reply.Outcome;
                    break;
                case SetDetectionCovers covers:
                    ApplyCovers(node, covers);
                    break;
            }
        }
    }

    private void OnEvent(SimHost host, ControllerEvent e)
    {
        RecordFenceEvent(host, e);
        if (e.Kind is ControllerEventKind.ActionRequested or ControllerEventKind.ActionFinished)
        {
            // Agent calls are traced where they run; fences where they end.
            if (e.Kind == ControllerEventKind.ActionRequested)
            {
                CheckSender(host, $"action {e.Action}");
                OnActionRequested(host);
            }

            return;
        }

        Log($"{host.Name} {e.Kind}: {e.Message}");
    }

    private void StartAgent(SimHost host, RunAgent run)
    {
        var generation = host.Generation;
        var faulty = Now < host.AgentFaultsUntil;
        var roll = _random.NextDouble();
        var outcome = !faulty ? 0 : roll < 0.25 ? 1 : roll < 0.35 ? 2 : 0; // 0 ok, 1 rc 1, 2 hang
        var took = outcome == 2 ? run.Call.Timeout : TimeSpan.FromMilliseconds(_random.Next(2, 150));
        if (outcome == 2)
        {
            _hung++;
        }

        At(Now + took, () =>
        {
            if (outcome == 2)
            {
                _hung--;
            }

            if (host.Generation != generation)
            {
                return; // the daemon died: systemd killed its agents with it
            }

            var call = run.Call;
            var label = $"{call.Action.ToString().ToLowerInvariant()}{(call.Interval > TimeSpan.Zero ? "/" + call.Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture) : "")} {call.Resource}";
            ActionResult result;
            if (outcome == 1)
            {
                result = new ActionResult(1, Reason: "injected failure");
            }
            else if (outcome == 2)
            {
                result = ActionResult.TimedOut($"injected hang: no answer in {call.Timeout.TotalSeconds:0} s");
            }
            else
            {
                CheckRecovery(host, call);
                result = host.Execute(call);
            }

            if (outcome != 0 || call.Action != Agents.AgentAction.Monitor || call.Interval == TimeSpan.Zero)
            {
                Log($"{host.Name} agent {label} -> {(outcome == 1 ? "rc 1 (injected)" : outcome == 2 ? "timeout (injected)" : $"rc {result.ExitCode}")}");
            }

            Apply(host.Index, new AgentFinished(run.Key, result, took));
        });
    }

    private void At(TimeSpan when, Action action) => _events.Enqueue(action, (when, ++_seq));

    private void Log(string line) => Trace.Add(string.Create(CultureInfo.InvariantCulture, $"{Now.TotalSeconds,9:0.000} {line}"));
}
