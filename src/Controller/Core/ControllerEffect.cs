using System.Collections.Immutable;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>What a <see cref="ControllerCore"/> asks its shell to do, in order. A closed family.</summary>
public abstract record ControllerEffect
{
    private protected ControllerEffect()
    {
    }
}

/// <summary>Send a message to another node (never to this node: the core delivers those itself).</summary>
public sealed record SendMessage(string To, ControllerMessage Message) : ControllerEffect;

/// <summary>Run an agent call on this node; report with <see cref="AgentFinished"/> and the same key.</summary>
public sealed record RunAgent(long Key, AgentCall Call) : ControllerEffect;

/// <summary>Fence a node through the fencer; report with <see cref="FenceFinished"/>.</summary>
public sealed record RunFence(string Target, string Device, string Reason, ClusterConfig Config, ClusterStatus Status) : ControllerEffect;

/// <summary>
/// Power a node on again after a reboot fence that deferred it, now that the transition that recovered its
/// resources has completed: failover never waits for the victim to boot.
/// </summary>
public sealed record PowerOn(string Node, ClusterConfig Config) : ControllerEffect;

/// <summary>Persist the configuration atomically before anything else happens (it is already live in the core).</summary>
public sealed record PersistConfig(ClusterConfig Config) : ControllerEffect;

/// <summary>Publish an event to watchers and the log.</summary>
public sealed record PublishEvent(ControllerEvent Event) : ControllerEffect;

/// <summary>Keep a scheduler decision (inputs and graph) in the decision journal.</summary>
public sealed record JournalDecision(ClusterConfig Config, ClusterStatus Status, DateTimeOffset Now, TransitionGraph Graph) : ControllerEffect;

/// <summary>Answer an operator's command.</summary>
public sealed record AdminReply(long RequestId, AdminOutcome Outcome) : ControllerEffect;

/// <summary>Nothing runs here any more (or it cannot be moved): the daemon may leave the membership now.</summary>
public sealed record ReadyToLeave(string Reason) : ControllerEffect;

/// <summary>Open (and so start) the watchdog with this timeout; feed it at once.</summary>
public sealed record ArmWatchdog(string Device, TimeSpan Timeout) : ControllerEffect;

/// <summary>Feed the armed watchdog (one write).</summary>
public sealed record FeedWatchdog : ControllerEffect;

/// <summary>Stop the watchdog cleanly: the magic close.</summary>
public sealed record DisarmWatchdog : ControllerEffect;

/// <summary>Acknowledge a Scheduled Event (<c>StartRequests</c>): the platform may start it now.</summary>
public sealed record AcknowledgeScheduledEvent(string EventId) : ControllerEffect;

/// <summary>Replace membership's covers: each peer's failure detection waits until its cover ends (an announced freeze).</summary>
public sealed record SetDetectionCovers(ImmutableArray<DetectionWindow> Covers) : ControllerEffect;

/// <summary>From <see cref="From"/> to <see cref="Until"/> <see cref="Node"/> may be silent without being lost (Scheduled Event <see cref="EventId"/>).</summary>
public sealed record DetectionWindow(string Node, DateTimeOffset From, DateTimeOffset Until, string EventId);
