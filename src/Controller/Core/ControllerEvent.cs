using System.Collections.Immutable;

namespace ClusterD.Controller.Core;

/// <summary>
/// One thing that happened, for <c>WatchEvents</c> and the log: an action requested or finished, a
/// transition, a fence, a failover, a configuration change. <see cref="Phases"/> carries the named
/// durations of a completed failover (detection, scheduling, fencing, each action).
/// </summary>
public sealed record ControllerEvent(
    DateTimeOffset Time,
    ControllerEventKind Kind,
    string Message,
    string? Node = null,
    string? Resource = null,
    string? Action = null,
    ulong Transition = 0,
    bool? Succeeded = null,
    TimeSpan? Duration = null,
    ImmutableArray<(string Phase, TimeSpan Duration)> Phases = default);

public enum ControllerEventKind
{
    ActionRequested,
    ActionFinished,
    TransitionStarted,
    TransitionCompleted,
    TransitionAborted,
    FenceRequested,
    FenceFinished,
    FailoverStarted,
    FailoverCompleted,
    ConfigurationChanged,
    Warning,

    /// <summary>A cloud witness decision (<see cref="ControllerEvent.Action"/> says which: <c>witness-acquired</c>, <c>witness-yielded</c>, ...).</summary>
    WitnessDecision,

    /// <summary>The local watchdog armed, disarmed or no longer fed; a node taken as reset by its watchdog.</summary>
    Watchdog,

    /// <summary>A decision on an Azure Scheduled Event: a freeze covered, a switchover before a reboot, an acknowledgement.</summary>
    ScheduledEvent,
}
