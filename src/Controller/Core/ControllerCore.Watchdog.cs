using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>This node's watchdog (armed while it holds resources, fed from this loop) and what status says of it.</summary>
public sealed partial class ControllerCore
{
    /// <summary>The local watchdog's state; null when this node has none.</summary>
    public WatchdogState? Watchdog => _watchdog is { } w
        ? new WatchdogState(w.Device, w.Timeout, w.Armed, w.LastFeed, w.Starving, w.StarvingSince)
        : null;

    private void GuardWatchdog()
    {
        if (_watchdog is { } guard)
        {
            Emit(guard.Evaluate(HoldsResources(), WatchdogUnhealthy(), _now));
        }
    }

    /// <summary>Why this node must reset (null while it may run): resources held in a partition without quorum.</summary>
    private string? WatchdogUnhealthy() =>
        View is { Quorate: false } view && Config.Properties.EffectiveNoQuorumPolicy != NoQuorumPolicy.Ignore
            ? $"this node's partition (view {view.RingId}) has no quorum and no-quorum-policy is {Config.Properties.EffectiveNoQuorumPolicy.ToString().ToLowerInvariant()}"
            : null;

    /// <summary>Anything but a fence device active here, or being started or promoted.</summary>
    private bool HoldsResources()
    {
        var devices = Config.Primitives.Where(p => p.Agent.IsStonith).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        return _executor.Pending.Any(j => j.Action.Op is TransitionOp.Start or TransitionOp.Promote && !devices.Contains(j.Call.Resource))
            || _executor.History.GroupBy(r => r.Resource)
                .Any(g => !devices.Contains(g.Key) && OperationHistory.RoleOf(g, promotable: false) is not InstanceRole.Stopped);
    }

    /// <summary>What status shows about watchdog fencing when it is configured: why it is refused, or that it is tight.</summary>
    private IEnumerable<string> WatchdogWarnings()
    {
        if (!Config.Properties.IsStonithEnabled || !Config.Properties.IsWatchdogFencingConfigured)
        {
            yield break;
        }

        var wait = WatchdogFencing.Resolve(Config, _options.Watchdog?.Timeout, _options.TwoNodeQuorum);
        if (wait.Refusal is { } refusal)
        {
            yield return refusal + " (a node no device can fence stays unclean)";
        }
        else if (wait.Warning is { } warning)
        {
            yield return warning;
        }
    }
}

/// <summary>The local watchdog as status shows it.</summary>
public sealed record WatchdogState(string Device, TimeSpan Timeout, bool Armed, DateTimeOffset? LastFeed, string? Starving, DateTimeOffset? StarvingSince);
