using System.Globalization;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Core;

/// <summary>
/// Whether a lost node may be taken as fenced by its own watchdog, and after how long: Pacemaker's
/// <c>stonith-watchdog-timeout</c> (3.0's <c>fencing-watchdog-timeout</c>), checked as
/// lib/common/watchdog.c checks it against the local SBD watchdog timeout. Pure.
/// </summary>
/// <remarks>
/// Pacemaker's rules, kept: 0 (the default) is off; a negative value means twice the local watchdog
/// timeout; a value that does not exceed the local watchdog timeout is unsafe (Pacemaker's controller
/// exits with "too short"; here the fence fails, so the node stays unclean and nothing of it is recovered),
/// and the documented advice is twice the watchdog timeout (below that a warning). The local watchdog
/// stands for every node's: all nodes must configure the same one, as with SBD.
/// ClusterD adds one rule: with <c>two_node</c> a node cut off from its peer keeps quorum and so never
/// stops feeding its watchdog, and taking it as fenced would start a second copy of its resources; diskless
/// SBD refuses two-node clusters for the same reason.
/// </remarks>
public static class WatchdogFencing
{
    /// <summary>The device name fences by watchdog carry in a transition (Pacemaker's fencer calls it "watchdog").</summary>
    public const string DeviceName = "watchdog";

    /// <summary>
    /// How long after the fence is requested the node counts as reset, or why it may not be taken as fenced.
    /// <paramref name="localWatchdog"/> is this node's watchdog timeout (null: none configured).
    /// </summary>
    public static WatchdogFenceWait Resolve(ClusterConfig config, TimeSpan? localWatchdog, bool twoNode)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Properties.StonithWatchdogTimeout is not { } text || !config.Properties.IsWatchdogFencingConfigured)
        {
            return WatchdogFenceWait.Refused("stonith-watchdog-timeout is not set: no watchdog fencing");
        }

        if (localWatchdog is not { } watchdog)
        {
            return WatchdogFenceWait.Refused($"stonith-watchdog-timeout={text} but this node has no watchdog (clusterd {{ watchdog {{ device: ... }} }}): every node must run the same watchdog");
        }

        if (twoNode)
        {
            return WatchdogFenceWait.Refused("watchdog fencing is unsafe with two_node: a node cut off from its peer keeps quorum and never stops feeding its watchdog; configure a fence device or a third vote");
        }

        TimeSpan wait;
        var trimmed = text.Trim();
        if (trimmed.StartsWith('-'))
        {
            if (!Duration.TryParse(trimmed[1..], out _))
            {
                return WatchdogFenceWait.Refused($"stonith-watchdog-timeout '{text}' is not a duration");
            }

            wait = 2 * watchdog;
        }
        else if (Duration.TryParse(trimmed, out var parsed))
        {
            wait = parsed.ToTimeSpan();
        }
        else
        {
            return WatchdogFenceWait.Refused($"stonith-watchdog-timeout '{text}' is not a duration");
        }

        if (wait <= watchdog)
        {
            return WatchdogFenceWait.Refused(string.Create(CultureInfo.InvariantCulture,
                $"stonith-watchdog-timeout {Seconds(wait)} does not exceed the watchdog timeout {Seconds(watchdog)}: a lost node could still run when it is taken as reset (use twice it, {Seconds(2 * watchdog)})"));
        }

        return new WatchdogFenceWait(wait, null, wait < 2 * watchdog
            ? string.Create(CultureInfo.InvariantCulture, $"stonith-watchdog-timeout {Seconds(wait)} is less than twice the watchdog timeout {Seconds(watchdog)}: little room for a reset that comes late")
            : null);
    }

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.###}s");
}

/// <summary>The outcome of <see cref="WatchdogFencing.Resolve"/>: a wait, or a refusal; a warning when it is allowed but tight.</summary>
public sealed record WatchdogFenceWait(TimeSpan? Wait, string? Refusal, string? Warning)
{
    public static WatchdogFenceWait Refused(string why) => new(null, why, null);
}
