namespace ClusterD.Controller.Core;

/// <summary>
/// When this node's watchdog is armed and fed: armed (opened) only while the node holds resources, fed
/// every quarter of its timeout from the controller's own loop (a controller that hangs stops feeding, and
/// the machine resets), and no longer fed from the moment the node holds resources without quorum (when
/// <c>no-quorum-policy</c> is not <c>ignore</c>). Starving is final: the node resets even if quorum comes
/// back, because the peers may already count the reset down (<see cref="WatchdogFencing"/>). Disarmed with the
/// magic close when it holds nothing any more. Pure: "now" comes in, effects go out.
/// </summary>
internal sealed class WatchdogGuard(string device, TimeSpan timeout)
{
    public string Device { get; } = device;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>A feed every quarter of the timeout: three may be missed (a loaded machine) before it fires.</summary>
    public TimeSpan FeedInterval => Timeout / 4;

    public bool Armed { get; private set; }

    /// <summary>Why it is no longer fed (null while it is), and since when.</summary>
    public string? Starving { get; private set; }

    public DateTimeOffset? StarvingSince { get; private set; }

    public DateTimeOffset? LastFeed { get; private set; }

    /// <summary>When the controller must run again to feed it.</summary>
    public DateTimeOffset? NextWake => Armed && Starving is null ? (LastFeed ?? DateTimeOffset.MinValue) + FeedInterval : null;

    /// <summary>
    /// The watchdog effects for this instant: <paramref name="holds"/> says whether this node holds resources,
    /// <paramref name="unhealthy"/> why it must reset (null while it is healthy).
    /// </summary>
    public IReadOnlyList<ControllerEffect> Evaluate(bool holds, string? unhealthy, DateTimeOffset now)
    {
        if (Starving is not null)
        {
            return [];
        }

        var effects = new List<ControllerEffect>();
        if (!Armed)
        {
            if (!holds)
            {
                return effects;
            }

            Armed = true;
            LastFeed = null;
            effects.Add(new ArmWatchdog(Device, Timeout));
            effects.Add(Event(now, $"watchdog {Device} armed ({Timeout.TotalSeconds:0.###} s): this node holds resources"));
        }
        else if (!holds && unhealthy is null)
        {
            Armed = false;
            LastFeed = null;
            effects.Add(new DisarmWatchdog());
            effects.Add(Event(now, $"watchdog {Device} disarmed: this node holds no resources"));
            return effects;
        }

        if (unhealthy is not null)
        {
            Starving = unhealthy;
            StarvingSince = now;
            var reset = (LastFeed ?? now) + Timeout;
            effects.Add(Event(now, $"watchdog {Device} no longer fed: {unhealthy}; this node resets by {reset:O}"));
            return effects;
        }

        if (LastFeed is not { } last || now >= last + FeedInterval)
        {
            LastFeed = now;
            effects.Add(new FeedWatchdog());
        }

        return effects;
    }

    private static PublishEvent Event(DateTimeOffset now, string message) =>
        new(new ControllerEvent(now, ControllerEventKind.Watchdog, message));
}
