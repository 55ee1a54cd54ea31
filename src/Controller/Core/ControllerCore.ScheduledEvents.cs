using System.Collections.Immutable;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Devices;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>
/// Azure's Scheduled Events: before a Reboot, Redeploy, Preempt or Terminate of this node its promoted instances
/// are switched over to the other node (the operator's switchover), and the event is acknowledged once nothing is
/// promoted here any more, or at its NotBefore; during an announced Freeze of a peer, that peer's failure detection
/// waits for the announced window (bounded) instead of <c>token</c>. Every decision is an event and in status.
/// </summary>
public sealed partial class ControllerCore
{
    /// <summary>How long a freeze whose duration is not announced is covered (Azure: most pauses are under 10 s, memory-preserving maintenance up to about 30 s).</summary>
    public static readonly TimeSpan DefaultFreezeCover = TimeSpan.FromSeconds(30);

    /// <summary>The longest cover, whatever the event announces: detection is never suspended for longer.</summary>
    public static readonly TimeSpan MaxFreezeCover = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, TrackedEvent> _scheduled = new(StringComparer.Ordinal);
    private ImmutableArray<DetectionWindow> _covers = [];

    /// <summary>The Scheduled Events known now, with what this node decided for each.</summary>
    public ImmutableArray<ScheduledEventState> ScheduledEvents =>
        [.. _scheduled.Values.OrderBy(t => t.FirstSeen).Select(t => new ScheduledEventState(
            t.Event.EventId, t.Event.TypeName, t.Event.Started ? "Started" : "Scheduled", t.Nodes, t.Event.NotBefore, t.Decision, t.Acknowledged,
            _covers.Where(c => c.EventId == t.Event.EventId).Select(c => (DateTimeOffset?)c.Until).FirstOrDefault()))];

    /// <summary>The covers in force (announced freezes of peers).</summary>
    public ImmutableArray<DetectionWindow> DetectionCovers => _covers;

    /// <summary>The NotBefore of an event of this node still to be acknowledged: the core must run then.</summary>
    private DateTimeOffset? NextMaintenanceWake =>
        _scheduled.Values.Where(t => t.MovesThisNode && !t.Acknowledged && t.Event.NotBefore is not null)
            .Select(t => t.Event.NotBefore).Min();

    private void OnScheduledEvents(ScheduledEventsInput input)
    {
        var listed = input.Events.Where(e => !string.IsNullOrEmpty(e.EventId)).DistinctBy(e => e.EventId).ToDictionary(e => e.EventId, StringComparer.Ordinal);
        foreach (var gone in _scheduled.Keys.Where(id => !listed.ContainsKey(id)).ToList())
        {
            var tracked = _scheduled[gone];
            _scheduled.Remove(gone);
            Publish(ControllerEventKind.ScheduledEvent, $"{tracked.Event.TypeName} {gone} of {Describe(tracked.Nodes)} is over (no longer listed)");
        }

        foreach (var e in listed.Values)
        {
            if (_scheduled.TryGetValue(e.EventId, out var tracked))
            {
                if (e.Started && !tracked.Event.Started)
                {
                    tracked.StartedSeen = _now;
                    Publish(ControllerEventKind.ScheduledEvent, $"{e.TypeName} {e.EventId} of {Describe(tracked.Nodes)} started");
                }

                // Azure clears NotBefore once an event starts: the announced one still bounds the window.
                tracked.Event = e with { NotBefore = e.NotBefore ?? tracked.Event.NotBefore };
                continue;
            }

            var nodes = NodesOf(e);
            tracked = new TrackedEvent(e, nodes, _now)
            {
                StartedSeen = e.Started ? _now : null,
                MovesThisNode = e.Type is ScheduledEventType.Reboot or ScheduledEventType.Redeploy or ScheduledEventType.Preempt or ScheduledEventType.Terminate
                    && nodes.Contains(LocalNode),
            };
            tracked.Decision = nodes.IsEmpty ? "not about a cluster node: ignored"
                : e.Type == ScheduledEventType.Freeze ? (nodes.Any(n => n != LocalNode) ? "failure detection of the frozen peer extended for the announced window" : "this node freezes: its peers extend their detection")
                : tracked.MovesThisNode ? "promoted instances move away first, then it is acknowledged"
                : e.Type == ScheduledEventType.Other ? "unknown type: ignored"
                : "about a peer: its own node moves its resources";
            _scheduled[e.EventId] = tracked;
            Publish(ControllerEventKind.ScheduledEvent,
                $"{e.TypeName} {e.EventId} announced for {Describe(nodes)}{(e.NotBefore is { } nb ? $", not before {nb:O}" : e.Started ? ", started" : "")}"
                + $"{(e.Duration is { } d ? $", {d.TotalSeconds:0} s" : "")}: {tracked.Decision}", node: nodes.FirstOrDefault());
        }

        UpdateCovers();
    }

    /// <summary>After every input: moves and acknowledgements of this node's events.</summary>
    private void AdvanceScheduledEvents()
    {
        if (_scheduled.Count == 0)
        {
            return;
        }

        foreach (var tracked in _scheduled.Values.Where(t => t.MovesThisNode && !t.Acknowledged))
        {
            var promoted = PromotedClonesHere();

            // Moved once nothing is promoted here and the DC has settled each switchover (it removes the
            // constraint when the target holds the promoted instance and nothing is left to do: the group runs there).
            var settling = tracked.SwitchedOver.Where(clone => Config.Locations.Any(l => l.Id == SwitchoverPrefix + clone)).ToList();
            if (promoted.Count == 0 && settling.Count == 0)
            {
                Acknowledge(tracked, tracked.SwitchoverAsked ? "the promoted instances moved away" : "nothing promoted here");
            }
            else if (tracked.Event.NotBefore is { } notBefore && _now >= notBefore)
            {
                Acknowledge(tracked, $"NotBefore reached with {string.Join(", ", promoted)} still promoted here");
            }
            else if (!tracked.SwitchoverAsked && promoted.Count > 0)
            {
                var outcomes = promoted.Select(clone => (clone, Validate(new SwitchoverResource(clone)) ?? Execute(new SwitchoverResource(clone)))).ToList();
                var refused = outcomes.Where(o => !o.Item2.Succeeded).ToList();
                tracked.SwitchoverAsked = refused.Count == 0;
                tracked.SwitchedOver.AddRange(outcomes.Where(o => o.Item2.Succeeded).Select(o => o.clone));
                var message = refused.Count == 0
                    ? $"{tracked.Event.TypeName} {tracked.Event.EventId} of {LocalNode}: {string.Join("; ", outcomes.Select(o => o.Item2.Message))}"
                    : $"{tracked.Event.TypeName} {tracked.Event.EventId} of {LocalNode}: switchover refused ({string.Join("; ", refused.Select(o => o.Item2.Message))}); asked again at the next poll";
                if (message != tracked.LastMessage)
                {
                    tracked.LastMessage = message;
                    tracked.Decision = refused.Count == 0 ? "switching over, then acknowledged" : "switchover refused: " + refused[0].Item2.Message;
                    Publish(refused.Count == 0 ? ControllerEventKind.ScheduledEvent : ControllerEventKind.Warning, message, LocalNode);
                }
            }
        }
    }

    private void Acknowledge(TrackedEvent tracked, string why)
    {
        tracked.Acknowledged = true;
        tracked.Decision = "acknowledged: " + why;
        _effects.Add(new AcknowledgeScheduledEvent(tracked.Event.EventId));
        Publish(ControllerEventKind.ScheduledEvent, $"{tracked.Event.TypeName} {tracked.Event.EventId} of {LocalNode} acknowledged: {why}", LocalNode);
    }

    /// <summary>
    /// A Freeze of a peer covers it from NotBefore (or from when it was seen started) for the announced duration
    /// (<see cref="DefaultFreezeCover"/> when none, at most <see cref="MaxFreezeCover"/>), counted again from when it
    /// was seen started if that is later: the platform may start it after NotBefore.
    /// </summary>
    private void UpdateCovers()
    {
        var covers = ImmutableArray.CreateBuilder<DetectionWindow>();
        foreach (var tracked in _scheduled.Values.Where(t => t.Event.Type == ScheduledEventType.Freeze).OrderBy(t => t.FirstSeen))
        {
            var e = tracked.Event;
            var length = e.Duration is { } d ? (d < MaxFreezeCover ? d : MaxFreezeCover) : DefaultFreezeCover;
            var from = e.NotBefore ?? tracked.StartedSeen ?? tracked.FirstSeen;
            var start = tracked.StartedSeen is { } seen && seen > from ? seen : from;
            foreach (var node in tracked.Nodes.Where(n => n != LocalNode))
            {
                covers.Add(new DetectionWindow(node, from, start + length, e.EventId));
            }
        }

        var updated = covers.ToImmutable();
        if (updated.SequenceEqual(_covers))
        {
            return;
        }

        _covers = updated;
        _effects.Add(new SetDetectionCovers(updated));
        foreach (var cover in updated)
        {
            Publish(ControllerEventKind.ScheduledEvent, $"failure detection of {cover.Node} extended from {cover.From:O} until {cover.Until:O} (Freeze {cover.EventId})", cover.Node);
        }
    }

    /// <summary>The promotable clones whose instance is promoted on this node.</summary>
    private List<string> PromotedClonesHere()
    {
        var index = new ConfigIndex(Config);
        var status = Status();
        return [.. Config.Clones.Where(c => c.Promotable)
            .Where(c => index.PrimitivesOf(c.Id).Any(p => status.RoleOf(p.Id, LocalNode) == InstanceRole.Promoted))
            .Select(c => c.Id)];
    }

    /// <summary>The cluster nodes an event is about: its VM names through the fence devices' <c>pcmk_host_map</c>, else by name.</summary>
    private ImmutableArray<string> NodesOf(ScheduledEvent e)
    {
        var devices = FenceDevices.From(Config).Devices;
        string VmOf(string node) => devices.Select(d => d.PlugFor(node)).FirstOrDefault(p => !string.Equals(p, node, StringComparison.OrdinalIgnoreCase)) ?? node;
        return [.. Nodes.Where(n => e.Resources.Contains(VmOf(n), StringComparer.OrdinalIgnoreCase))];
    }

    private static string Describe(ImmutableArray<string> nodes) => nodes.IsEmpty ? "no cluster node" : string.Join(", ", nodes);

    private sealed class TrackedEvent(ScheduledEvent e, ImmutableArray<string> nodes, DateTimeOffset firstSeen)
    {
        public ScheduledEvent Event { get; set; } = e;

        public ImmutableArray<string> Nodes { get; } = nodes;

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public DateTimeOffset? StartedSeen { get; set; }

        public bool MovesThisNode { get; init; }

        public bool SwitchoverAsked { get; set; }

        /// <summary>The clones switched over for this event: it waits until each switchover has settled.</summary>
        public List<string> SwitchedOver { get; } = [];

        public bool Acknowledged { get; set; }

        public string Decision { get; set; } = "";

        public string? LastMessage { get; set; }
    }
}

/// <summary>A Scheduled Event as status shows it: what it is, whom it is about, and what this node decided.</summary>
public sealed record ScheduledEventState(
    string EventId, string Type, string Status, ImmutableArray<string> Nodes, DateTimeOffset? NotBefore, string Decision, bool Acknowledged, DateTimeOffset? CoveredUntil);
