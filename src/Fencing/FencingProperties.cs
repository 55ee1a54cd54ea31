using System.Collections.Immutable;
using ClusterD.Fencing.Scripts;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Fencing;

/// <summary>
/// The cluster options the fencer acts on, read from the configuration's properties with ClusterD's
/// defaults (docs/fencing.md): <c>stonith-action</c> (Pacemaker 3's <c>fencing-action</c>), default
/// <b>off</b> where Pacemaker's is reboot; <c>stonith-timeout</c> (<c>fencing-timeout</c>), default 60 s
/// as in Pacemaker; <c>priority-fencing-delay</c> as set (null when not set: <see cref="Policy.FenceDelayPolicy"/>
/// then applies ClusterD's default). <c>stonith-enabled</c> is the controller's.
/// </summary>
/// <param name="Action">What fencing a node does: <see cref="FenceAction.Off"/> or <see cref="FenceAction.Reboot"/>.</param>
/// <param name="Timeout">How long one fencing operation may take, all devices and retries included.</param>
/// <param name="PriorityFencingDelay">The configured <c>priority-fencing-delay</c>; null when not configured.</param>
public sealed record FencingProperties(FenceAction Action, TimeSpan Timeout, TimeSpan? PriorityFencingDelay)
{
    /// <summary>
    /// ClusterD fences with <c>off</c>: a cloud VM told to reboot is fenced only once it is off, but the
    /// agent then waits for it to start again (fence_azure_arm polls until running), and failover waits
    /// with it; the field notes saw Azure restarts scheduled 15-20 minutes late.
    /// </summary>
    public const FenceAction DefaultAction = FenceAction.Off;

    /// <summary>Pacemaker's <c>stonith-timeout</c> default (lib/common/options.c).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The defaults, for a configuration that sets nothing.</summary>
    public static FencingProperties Default { get; } = new(DefaultAction, DefaultTimeout, null);

    /// <summary>What was set but could not be read (the default was used).</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>Reads the options of <paramref name="config"/>.</summary>
    public static FencingProperties From(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var other = config.Properties.Other;
        var warnings = new List<string>();
        var action = DefaultAction;
        if ((other.Get("fencing-action") ?? other.Get("stonith-action")) is { } actionText)
        {
            if (FenceActionNames.TryParse(actionText, out var parsed) && parsed is FenceAction.Off or FenceAction.Reboot)
            {
                action = parsed;
            }
            else
            {
                warnings.Add($"stonith-action '{actionText}' is not reboot, off or poweroff; using off");
            }
        }

        var timeout = DefaultTimeout;
        if ((other.Get("fencing-timeout") ?? other.Get("stonith-timeout")) is { } timeoutText)
        {
            if (Duration.TryParse(timeoutText, out var parsed) && parsed > Duration.Zero)
            {
                timeout = parsed.ToTimeSpan();
            }
            else
            {
                warnings.Add($"stonith-timeout '{timeoutText}' is not a positive duration; using 60s");
            }
        }

        return new FencingProperties(action, timeout, config.Properties.PriorityFencingDelay?.ToTimeSpan()) { Warnings = [.. warnings] };
    }
}
