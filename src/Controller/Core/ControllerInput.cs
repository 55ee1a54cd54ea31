using System.Collections.Immutable;
using ClusterD.Controller.Messages;
using ClusterD.Fencing.Witness;
using ClusterD.ResourceManager.Execution;

namespace ClusterD.Controller.Core;

/// <summary>Everything that reaches a <see cref="ControllerCore"/>: a closed family, handled one at a time.</summary>
public abstract record ControllerInput
{
    private protected ControllerInput()
    {
    }
}

/// <summary>
/// Membership installed a view (node names, not ids: the shell maps them through the one node list).
/// <see cref="Trusted"/> is false while membership is not sure its view is current (it has just resumed
/// from a pause and not yet heard from its peers): the controller does nothing in such a view.
/// <see cref="Joined"/> lists members that are new in this view, restarted ones included.
/// </summary>
public sealed record ViewInput(
    ulong RingSeq,
    string RingId,
    ImmutableArray<string> Members,
    ImmutableArray<string> Joined,
    ImmutableArray<string> Lost,
    ImmutableArray<string> Left,
    bool Quorate,
    string? Dc,
    bool Trusted = true) : ControllerInput
{
    /// <summary>How long the lost nodes had been silent when membership installed this view (the failover's detection phase).</summary>
    public TimeSpan? Detection { get; init; }
}

/// <summary>A controller message from another node (authenticated and decoded by the shell).</summary>
public sealed record MessageInput(string From, ControllerMessage Message) : ControllerInput;

/// <summary>
/// A session with <see cref="Peer"/> opened: the first one, or a new one after a reset. Messages sent on
/// the old session may have been lost with it, so each end sends the other its whole state again.
/// </summary>
public sealed record SessionOpened(string Peer) : ControllerInput;

/// <summary>An agent call started by <see cref="RunAgent"/> finished.</summary>
public sealed record AgentFinished(long Key, ActionResult Result, TimeSpan Elapsed) : ControllerInput;

/// <summary>A fence started by <see cref="RunFence"/> finished (after the fencer's own retries).</summary>
/// <param name="PowerOnDeferred">A reboot whose power-on waits until the cluster has recovered (<see cref="PowerOn"/>).</param>
public sealed record FenceFinished(string Target, bool Succeeded, string? Reason, bool PowerOnDeferred = false) : ControllerInput;

/// <summary>A cloud witness decision of this node's fencer (lease got, yielded, fell back, lost, released), as it was taken.</summary>
public sealed record WitnessDecided(WitnessDecision Decision) : ControllerInput;

/// <summary>Time passed (the shell calls at <see cref="ControllerCore.NextWake"/>, or whenever it likes).</summary>
public sealed record TickInput : ControllerInput
{
    public static TickInput Instance { get; } = new();
}

/// <summary>An operator's command; answered by exactly one <see cref="AdminReply"/> with the same id.</summary>
public sealed record AdminInput(long RequestId, AdminCommand Command) : ControllerInput;

/// <summary>The daemon is asked to stop: move everything off this node, then <see cref="ReadyToLeave"/>.</summary>
public sealed record ShutdownInput : ControllerInput
{
    public static ShutdownInput Instance { get; } = new();
}

/// <summary>
/// Azure's Scheduled Events as the instance metadata service lists them now (the whole list; an event
/// missing from it is over). A failed poll is not an input: the last list stands.
/// </summary>
public sealed record ScheduledEventsInput(ImmutableArray<Fencing.Azure.ScheduledEvent> Events) : ControllerInput;
