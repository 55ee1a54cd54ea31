using ClusterD.Fencing.Devices;
using ClusterD.Fencing.History;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Fencing;

/// <summary>Powering a node on again after a reboot fence whose power-on was deferred.</summary>
public sealed partial class Fencer
{
    /// <summary>
    /// Runs <c>on</c> for <paramref name="node"/> on the device that last fenced it (from <see cref="History"/>),
    /// or else the first device of <paramref name="config"/> that fences it by its static list. Meant for
    /// after recovery: when <see cref="FenceOutcome.PowerOnDeferred"/> was set, the node's resources have
    /// been recovered elsewhere, and the node may boot and rejoin. Never throws for device failures.
    /// </summary>
    public async Task<FenceResult> PowerOnAsync(string node, ClusterConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(config);
        var devices = FenceDevices.From(config).Devices;
        var fencedWith = History.Snapshot.LastOrDefault(e =>
            string.Equals(e.Target, node, StringComparison.OrdinalIgnoreCase) && e.Result == FenceHistoryResult.Succeeded)?.Device;
        var device = devices.FirstOrDefault(d => d.Id == fencedWith) ?? devices.FirstOrDefault(d => d.CanFenceStatically(node) == true);
        if (device is null)
        {
            return FenceResult.NotRun($"no fence device to power {node} on" + (fencedWith is null ? "" : $" ({fencedWith} is no longer configured)"));
        }

        var properties = FencingProperties.From(config);
        FencingLog.PowerOnRequested(_logger, node, device.Id);
        var result = await RunAgentAsync(device, device.RequestFor(FenceAction.On, node, device.TimeoutFor(FenceAction.On, properties.Timeout)), ct, ct)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            FencingLog.PowerOnFailed(_logger, node, device.Id, result.Reason ?? "");
        }

        return result;
    }
}
