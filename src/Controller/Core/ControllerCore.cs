using System.Collections.Immutable;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>
/// One node's controller, as a pure state machine: inputs (views, messages, agent and fence results,
/// ticks, operator commands) in, effects (messages, agent calls, fences, persistence, events, replies)
/// out, with "now" passed in. It is at once this node's executor (<see cref="LocalExecutor"/>), its
/// replica of every node's history and attributes, its copy of the configuration, and, while membership
/// names it DC of a quorate, trusted view, the DC: it joins the members (collects their histories),
/// probes, schedules and runs each graph across the nodes.
/// </summary>
/// <remarks>
/// Invariants: an action is sent only by the DC of a quorate, trusted view, and a node runs one only when
/// the sender is the DC of the view it has installed itself (same ring); nothing is planned from a status
/// that has not been rebuilt from the members' own histories since this node became DC; a lost node's
/// resources are recovered only after its fence succeeded (the scheduler orders them after the fence,
/// and the lost node's history stays until then).
/// </remarks>
public sealed partial class ControllerCore
{
    private readonly ControllerOptions _options;
    private readonly LocalExecutor _executor;
    private readonly Dictionary<string, NodeAttributeSet> _attributes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<OperationRecord>> _histories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unclean = new(StringComparer.Ordinal);
    private readonly Queue<ControllerMessage> _toSelf = new();
    private readonly WatchdogGuard? _watchdog;
    private List<ControllerEffect> _effects = [];
    private DateTimeOffset _now;
    private bool _shuttingDown;
    private bool _leaveAnnounced;

    /// <summary>A join for a view the DC installed before this node did; answered once this node installs it.</summary>
    private (string From, JoinRequest Request)? _deferredJoin;

    public ControllerCore(string localNode, IEnumerable<string> nodes, ClusterConfig config, ControllerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(localNode);
        ArgumentNullException.ThrowIfNull(config);
        LocalNode = localNode;
        Nodes = [.. nodes];
        Config = config;
        _options = options ?? new ControllerOptions();
        _executor = new LocalExecutor(localNode);
        _attributes[localNode] = NodeAttributeSet.Empty;
        _watchdog = _options.Watchdog is { } watchdog ? new WatchdogGuard(watchdog.Device, watchdog.Timeout) : null;
    }

    public string LocalNode { get; }

    /// <summary>Every node of the node list, by name.</summary>
    public ImmutableArray<string> Nodes { get; }

    /// <summary>The live configuration.</summary>
    public ClusterConfig Config { get; private set; }

    /// <summary>The view last installed; null before the first.</summary>
    public ViewInput? View { get; private set; }

    /// <summary>True while this node is the DC (of a quorate, trusted view).</summary>
    public bool IsDc => _dc is not null;

    /// <summary>Nodes lost without leaving and not fenced yet.</summary>
    public IReadOnlyCollection<string> Unclean => _unclean;

    /// <summary>When the shell should call again with <see cref="TickInput"/> at the latest.</summary>
    public DateTimeOffset? NextWake => Min(Min(_executor.NextMonitorDue, _dc?.NextWake(Config, _options, this)), Min(_watchdog?.NextWake, NextMaintenanceWake));

    /// <summary>
    /// What an operator must see now (status shows them first): the configuration's standing warnings
    /// (fencing disabled: split brain is possible; no fence device; maintenance mode) on every node, and on
    /// the DC those of its latest scheduling run. Replaced whole, never accumulated.
    /// </summary>
    public ImmutableArray<string> Warnings =>
        [.. WitnessWarnings().Concat(StandingWarnings(Config)).Concat(WatchdogWarnings()).Concat(_dc?.LastWarnings ?? []).Distinct(StringComparer.Ordinal)];

    /// <summary>The status as this node knows it (any node can answer <c>status</c>: histories are replicated).</summary>
    public ClusterStatus Status() => StatusBuilder.Build(Config, Nodes, View, Online(), _unclean, Histories(), _attributes);

    /// <summary>Handles one input at <paramref name="now"/>; returns the effects to perform, in order.</summary>
    public IReadOnlyList<ControllerEffect> Handle(ControllerInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        _effects = [];
        _now = now;
        switch (input)
        {
            case ViewInput view:
                OnView(view);
                break;
            case MessageInput message when Nodes.Contains(message.From) && message.From != LocalNode:
                OnMessage(message.From, message.Message);
                break;
            case SessionOpened opened when Nodes.Contains(opened.Peer) && opened.Peer != LocalNode:
                OnSessionOpened(opened.Peer);
                break;
            case AgentFinished finished:
                OnAgentFinished(finished);
                break;
            case FenceFinished fence:
                OnFenceFinished(fence);
                break;
            case WitnessDecided witness:
                OnWitnessDecided(witness);
                break;
            case TickInput:
                Emit(_executor.Tick(now));
                break;
            case AdminInput admin:
                OnAdmin(admin);
                break;
            case ShutdownInput:
                OnShutdown();
                break;
            case ScheduledEventsInput scheduled:
                OnScheduledEvents(scheduled);
                break;
        }

        while (_toSelf.TryDequeue(out var own))
        {
            OnMessage(LocalNode, own);
        }

        // A Scheduled Event's switchover changes the configuration: the DC plans it in this same step; and when
        // this DC has just settled it, the event is acknowledged in this same step too.
        AdvanceScheduledEvents();
        _dc?.Advance(this);
        while (_toSelf.TryDequeue(out var own))
        {
            OnMessage(LocalNode, own);
        }

        AdvanceScheduledEvents();

        GuardWatchdog();
        CheckLeave();
        return _effects;
    }

    private void OnView(ViewInput view)
    {
        var previous = View;
        View = view;
        foreach (var lost in view.Lost.Where(n => !view.Joined.Contains(n)))
        {
            _unclean.Add(lost);
        }

        foreach (var left in view.Left.Where(n => !view.Joined.Contains(n)))
        {
            // It stopped everything before it left (or its controller would not have let it go).
            _unclean.Remove(left);
            _histories.Remove(left);
            _attributes.Remove(left);
        }

        foreach (var joined in view.Joined.Where(n => n != LocalNode))
        {
            EndYield(joined);
            if (_dc?.IsFencing(joined) != true)
            {
                // Back before it was fenced (a healed partition or a restart): its own history, coming now, is the truth.
                _unclean.Remove(joined);
                _histories.Remove(joined);
                _attributes.Remove(joined);
            }

            SendStateTo(joined);
        }

        if (_deferredJoin is { } deferred && deferred.Request.RingSeq <= view.RingSeq)
        {
            _deferredJoin = null;
            if (deferred.Request.RingSeq == view.RingSeq && view.Dc == deferred.From)
            {
                Send(deferred.From, new JoinReply(deferred.Request.JoinId, OwnHistory(), _attributes[LocalNode]));
            }
        }

        var shouldLead = view.Quorate && view.Trusted && view.Dc == LocalNode;
        if (!shouldLead)
        {
            if (_dc is not null)
            {
                Publish(ControllerEventKind.Warning, $"no longer the DC (view {view.RingId}, quorate {view.Quorate}, trusted {view.Trusted}, DC {view.Dc ?? "none"})");
            }

            _dc = null;
            return;
        }

        if (_dc is null || previous is null)
        {
            _dc = new DcState(this, view);
            _dc.StartJoin(this, view.Members);
        }
        else
        {
            _dc.OnViewChange(this, view);
        }
    }

    /// <summary>
    /// What was sent on the session before it reset may be lost (an action report, a monitor's failure, a
    /// configuration): each end sends its whole state again, and the DC asks the member for its history
    /// before it plans with it.
    /// </summary>
    private void OnSessionOpened(string peer)
    {
        if (View is not { } view || !view.Members.Contains(peer))
        {
            return;
        }

        SendStateTo(peer);
        _dc?.OnSessionOpened(this, peer);
    }

    /// <summary>What a node needs to converge with this one: our configuration, attributes and history.</summary>
    private void SendStateTo(string node)
    {
        if (Config.Version != default)
        {
            Send(node, new ConfigOffer(Config));
        }

        Send(node, new AttributesUpdate(_attributes[LocalNode]));
        Send(node, new JoinReply(0, OwnHistory(), _attributes[LocalNode]));
    }

    private void OnMessage(string from, ControllerMessage message)
    {
        switch (message)
        {
            case JoinRequest join when View is { } view && from == view.Dc && join.RingSeq == view.RingSeq:
                Send(from, new JoinReply(join.JoinId, OwnHistory(), _attributes[LocalNode]));
                break;
            case JoinRequest join when View is null || join.RingSeq > View.RingSeq:
                // Members install a view at slightly different instants: the DC may ask before this node has
                // the view. Dropping the request would leave the DC without this node's history.
                _deferredJoin = (from, join);
                break;
            case JoinReply reply:
                _histories[from] = [.. reply.History];
                SetAttributes(from, reply.Attributes);
                _dc?.OnJoinReply(this, from, reply);
                break;
            case ActionRequest request:
                OnActionRequest(from, request);
                break;
            case ActionReport report:
                // A notification leaves no history (its report only finishes the action).
                if (report.Record is { Operation: not "notify" } record)
                {
                    _histories[from] = [.. (_histories.GetValueOrDefault(from) ?? []).Where(r => !SameKey(r, record)), record];
                }

                _dc?.OnReport(this, from, report);
                break;
            case AttributesUpdate update:
                if (SetAttributes(from, update.Attributes))
                {
                    _dc?.Changed("attributes of " + from);
                }

                break;
            case ConfigOffer offer:
                OnConfigOffer(from, offer.Config);
                break;
            case NodeFenced fenced when View is { } v && from == v.Dc:
                Forget(fenced.Node);
                break;
            case CleanupRequest cleanup:
                _executor.Cleanup(cleanup.Resource);
                ClearFailures(cleanup.Resource);
                Broadcast(new JoinReply(0, OwnHistory(), _attributes[LocalNode]));
                break;
        }
    }

    /// <summary>A fenced node runs nothing: its history and transient attributes are gone, it is clean.</summary>
    private void Forget(string node)
    {
        EndYield(node);
        _unclean.Remove(node);
        _histories.Remove(node);
        if (node != LocalNode)
        {
            _attributes.Remove(node);
        }
    }

    private bool SetAttributes(string node, NodeAttributeSet attributes)
    {
        // Only the node itself changes its attributes, and its messages arrive in order: the latest is right.
        if (node == LocalNode)
        {
            return false;
        }

        var changed = !_attributes.TryGetValue(node, out var known) || !known.Values.SequenceEqual(attributes.Values);
        _attributes[node] = attributes;
        return changed;
    }

    private HashSet<string> Online() =>
        View is { } view ? [.. view.Members.Where(m => _dc is null || _dc.Joined.Contains(m))] : [];

    private Dictionary<string, IReadOnlyList<OperationRecord>> Histories()
    {
        var all = new Dictionary<string, IReadOnlyList<OperationRecord>>(_histories, StringComparer.Ordinal)
        {
            [LocalNode] = OwnHistory(),
        };
        return all;
    }

    // Notifications leave no history, not even while pending (Pacemaker records none): nothing waits for them but their transition.
    private ImmutableArray<OperationRecord> OwnHistory() =>
        [.. _executor.History, .. _executor.Pending.Where(j => j.Action.Op != TransitionOp.Notify).Select(j => new OperationRecord(j.Call.Resource, LocalNode, j.Action.OpName, j.Action.Interval, 0, int.MaxValue, -1))];

    private static bool SameKey(OperationRecord a, OperationRecord b) =>
        a.Resource == b.Resource && a.Operation == b.Operation && a.Interval == b.Interval;

    private void Send(string to, ControllerMessage message)
    {
        if (to == LocalNode)
        {
            _toSelf.Enqueue(message);
        }
        else
        {
            _effects.Add(new SendMessage(to, message));
        }
    }

    /// <summary>To every member of the current view, this node included.</summary>
    private void Broadcast(ControllerMessage message)
    {
        foreach (var member in View?.Members ?? [LocalNode])
        {
            Send(member, message);
        }

        if (View is null || !View.Members.Contains(LocalNode))
        {
            Send(LocalNode, message);
        }
    }

    private void Publish(ControllerEventKind kind, string message, string? node = null, string? resource = null, string? action = null,
        ulong transition = 0, bool? succeeded = null, TimeSpan? duration = null, ImmutableArray<(string, TimeSpan)> phases = default) =>
        _effects.Add(new PublishEvent(new ControllerEvent(_now, kind, message, node, resource, action, transition, succeeded, duration, phases)));

    private void Emit(IEnumerable<ControllerEffect> effects) => _effects.AddRange(effects);

    private static IEnumerable<string> StandingWarnings(ClusterConfig config)
    {
        if (config.Primitives.IsEmpty)
        {
            yield break;
        }

        if (!config.Properties.IsStonithEnabled)
        {
            yield return "stonith-enabled=false: a lost node is assumed to be down without fencing it; split brain is possible";
        }
        else if (!config.Primitives.Any(p => p.Agent.IsStonith) && !config.Properties.IsWatchdogFencingConfigured)
        {
            yield return "stonith-enabled is true but no fence device (stonith primitive) is configured: nothing is started or promoted until one is (or stonith-enabled=false)";
        }

        if (config.Properties.IsMaintenanceMode)
        {
            yield return "maintenance-mode is on: nothing is started, stopped or monitored";
        }
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
