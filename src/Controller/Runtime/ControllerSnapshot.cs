using System.Collections.Immutable;
using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Runtime;

/// <summary>
/// What <c>status</c> shows, taken after every input: the status (nodes, roles, fail counts, operation
/// history), the live configuration, whether this node is DC, the failed actions and the fence history.
/// Immutable; swapped whole.
/// </summary>
public sealed record ControllerSnapshot(
    ClusterStatus Status,
    ClusterConfig Config,
    bool IsDc,
    ImmutableArray<string> Warnings,
    ImmutableArray<FenceRecord> Fencing,
    ImmutableArray<ControllerEvent> FailedActions)
{
    public static ControllerSnapshot Empty { get; } = new(ClusterStatus.Empty, ClusterConfig.Empty, false, [], [], []);

    /// <summary>This node's watchdog (null: none configured).</summary>
    public WatchdogState? Watchdog { get; init; }

    /// <summary>What the watchdog device said last: what is open, or why it could not be opened or written.</summary>
    public string? WatchdogDetail { get; init; }

    /// <summary>The Scheduled Events known now and this node's decision for each.</summary>
    public ImmutableArray<ScheduledEventState> ScheduledEvents { get; init; } = [];

    /// <summary>Whether Scheduled Events are polled, and how that goes (null: off by configuration).</summary>
    public string? ScheduledEventsState { get; init; }

    /// <summary>
    /// Whether <paramref name="node"/> is unclean, given membership's own answer for the view it installed last
    /// (<paramref name="membershipRingId"/>; <paramref name="lostByMembership"/>). Once the controller has handled
    /// that view it knows better: a lost node is clean from the moment its fence succeeded. Before that,
    /// membership's "lost" stands, and so does what the controller still holds unclean.
    /// </summary>
    public bool IsUnclean(string node, string membershipRingId, bool lostByMembership)
    {
        var known = Status.FindNode(node);
        return Status.RingId == membershipRingId && known is not null ? known.Unclean : lostByMembership || (known?.Unclean ?? false);
    }
}

/// <summary>One fence this node ran or heard of: whom, with which device, the result and when.</summary>
public sealed record FenceRecord(string Target, string Device, string RequestedBy, bool? Succeeded, string? Reason, DateTimeOffset Requested, DateTimeOffset? Completed);
