using System.Collections.Immutable;
using ClusterD.Fencing.Devices;

namespace ClusterD.Fencing;

/// <summary>Which devices can fence a node: the host checks, and the cache of the agents' <c>list</c> answers.</summary>
public sealed partial class Fencer
{
    private readonly Dictionary<string, CachedList> _lists = new(StringComparer.Ordinal);

    /// <summary>
    /// The devices, in configuration order, that can fence <paramref name="node"/>. Static checks are answered
    /// from the configuration; <c>dynamic-list</c> asks the agent's <c>list</c> (cached for
    /// <see cref="FencerOptions.DynamicListLifetime"/>; a failed list is not cached and counts as "cannot");
    /// <c>status</c> asks the agent about the node's plug (on or off both mean it is the device's).
    /// </summary>
    private async Task<List<FenceDevice>> CapableDevicesAsync(
        ImmutableArray<FenceDevice> devices, string node, TimeSpan fallbackTimeout, CancellationToken ct)
    {
        var capable = new List<FenceDevice>();
        foreach (var device in devices)
        {
            var can = device.CanFenceStatically(node) ?? device.HostCheck switch
            {
                HostCheck.DynamicList => (await ListAsync(device, fallbackTimeout, ct).ConfigureAwait(false))
                    .Contains(device.PlugFor(node), StringComparer.OrdinalIgnoreCase),
                _ => await StatusAnswersAsync(device, node, fallbackTimeout, ct).ConfigureAwait(false),
            };
            if (can)
            {
                capable.Add(device);
            }
        }

        return capable;
    }

    private async Task<ImmutableArray<string>> ListAsync(FenceDevice device, TimeSpan fallbackTimeout, CancellationToken ct)
    {
        // A changed device (agent or parameters) must not be answered from the old device's list.
        var signature = device.AgentType + "\n" + string.Join("\n", device.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_lists.TryGetValue(device.Id, out var cached) && cached.Signature == signature
                && _time.GetElapsedTime(cached.Taken, now) < _options.DynamicListLifetime)
            {
                return cached.Plugs;
            }
        }

        var result = await RunAgentAsync(device, device.RequestFor(FenceAction.List, null, device.TimeoutFor(FenceAction.List, fallbackTimeout)), ct, ct)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            FencingLog.HostCheckFailed(_logger, device.Id, "dynamic-list", result.Reason ?? "");
            return [];
        }

        var plugs = HostLists.ParseListOutput(result.Output);
        lock (_gate)
        {
            _lists[device.Id] = new CachedList(signature, plugs, now);
        }

        return plugs;
    }

    private async Task<bool> StatusAnswersAsync(FenceDevice device, string node, TimeSpan fallbackTimeout, CancellationToken ct)
    {
        var result = await RunAgentAsync(device, device.RequestFor(FenceAction.Status, node, device.TimeoutFor(FenceAction.Status, fallbackTimeout)), ct, ct)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            FencingLog.HostCheckFailed(_logger, device.Id, "status", result.Reason ?? "");
        }

        return result.Succeeded;
    }

    private sealed record CachedList(string Signature, ImmutableArray<string> Plugs, long Taken);
}
