namespace ClusterD.Controller.Core;

/// <summary>The controller's timings. Defaults follow Pacemaker where it has one.</summary>
public sealed record ControllerOptions
{
    /// <summary>How long the DC waits for a member's history before it plans without that member (Pacemaker's join timeouts are minutes; a member that answers nothing in 10 s is not healthy).</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the DC asks a member that has not answered its join again (the request may have left before the session was up).</summary>
    public TimeSpan JoinRetry { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long past an action's own timeout the DC waits for its result before it counts it failed (the
    /// request or the report was lost with a session; Pacemaker's <c>cluster-delay</c> plays this part).
    /// </summary>
    public TimeSpan ActionGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>After a failed fence, how long before the DC plans (and fences) again.</summary>
    public TimeSpan FenceRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After a transition aborted because a node refused an action (its view differed), how long before planning again.</summary>
    public TimeSpan RefusalRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pacemaker's <c>cluster-recheck-interval</c> default, used when the property is not set.</summary>
    public TimeSpan DefaultRecheckInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>This node's watchdog (<c>clusterd { watchdog { ... } }</c>); null when it has none.</summary>
    public WatchdogSettings? Watchdog { get; init; }

    /// <summary>Quorum runs with <c>two_node</c>: a lone survivor stays quorate (watchdog fencing is then refused).</summary>
    public bool TwoNodeQuorum { get; init; }
}

/// <summary>The watchdog device and the timeout it is armed with.</summary>
public sealed record WatchdogSettings(string Device, TimeSpan Timeout);
