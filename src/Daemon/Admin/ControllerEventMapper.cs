using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using Google.Protobuf.WellKnownTypes;

namespace ClusterD.Daemon.Admin;

/// <summary>Translates the controller's events into admin API events (WatchEvents).</summary>
internal static class ControllerEventMapper
{
    public static ClusterEvent ToEvent(ControllerEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var result = new ClusterEvent
        {
            Time = Timestamp.FromDateTimeOffset(e.Time),
            Kind = KindOf(e.Kind),
            Message = e.Message,
            Node = e.Node ?? "",
            Resource = e.Resource ?? "",
            Action = e.Action ?? "",
            Transition = e.Transition,
            DurationMs = Milliseconds(e.Duration),
        };
        if (e.Succeeded is { } succeeded)
        {
            result.Succeeded = succeeded;
        }

        if (!e.Phases.IsDefault)
        {
            result.Phases.AddRange(e.Phases.Select(p => new EventPhase { Name = p.Phase, DurationMs = Milliseconds(p.Duration) }));
        }

        return result;
    }

    /// <summary>Transitions and fences are one kind each on the wire; the message says started, completed, aborted, requested or finished.</summary>
    public static EventKind KindOf(ControllerEventKind kind) => kind switch
    {
        ControllerEventKind.ActionRequested => EventKind.ActionRequested,
        ControllerEventKind.ActionFinished => EventKind.ActionFinished,
        ControllerEventKind.TransitionStarted or ControllerEventKind.TransitionCompleted or ControllerEventKind.TransitionAborted => EventKind.Transition,
        ControllerEventKind.FenceRequested or ControllerEventKind.FenceFinished or ControllerEventKind.WitnessDecision => EventKind.Fencing,
        ControllerEventKind.FailoverStarted => EventKind.FailoverStarted,
        ControllerEventKind.FailoverCompleted => EventKind.FailoverCompleted,
        ControllerEventKind.ConfigurationChanged => EventKind.Configuration,
        ControllerEventKind.Warning => EventKind.Warning,
        ControllerEventKind.Watchdog => EventKind.Watchdog,
        ControllerEventKind.ScheduledEvent => EventKind.ScheduledEvent,
        _ => EventKind.Unspecified,
    };

    /// <summary>Whole milliseconds, rounded up so that a sub-millisecond action never reads as "no duration".</summary>
    private static long Milliseconds(TimeSpan? duration) =>
        duration is { } d && d > TimeSpan.Zero ? (long)Math.Ceiling(d.TotalMilliseconds) : 0;
}
