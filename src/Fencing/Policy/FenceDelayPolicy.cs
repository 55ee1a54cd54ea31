using System.Collections.Immutable;
using ClusterD.Fencing.Devices;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Fencing.Policy;

/// <summary>
/// Pacemaker's <c>priority-fencing-delay</c> (2.0.4+, <c>node_priority_fencing_delay</c> in
/// lib/pengine/utils.c), pure: when a partition without a majority fences a lost node, the fencing of the
/// node with the highest total resource priority is delayed, so in a two-node fence race the node that
/// runs the important resource shoots first and survives.
/// </summary>
/// <remarks>
/// <para>The rule, as Pacemaker applies it, in order:</para>
/// <list type="number">
/// <item>The delay is 0 (off): no delay.</item>
/// <item>The target is online (in our partition, e.g. fenced for a failed stop) or not a known node: no delay.</item>
/// <item>More than half of the nodes are online here: no delay (a majority partition does not race).</item>
/// <item>All nodes have the same priority: no delay (<c>pcmk_delay_*</c> alone decide).</item>
/// <item>The target's priority is below the highest: no delay. Otherwise: the delay.</item>
/// </list>
/// <para>A node's priority is the sum over the instances it runs (last known, for a lost node) of the
/// resource's <c>priority</c> meta attribute (inherited from clone, group and <c>rsc_defaults</c>), plus one
/// for a Promoted instance; Failed instances count nothing. Two ClusterD decisions (docs/fencing.md):
/// the delay is on when <c>priority-fencing-delay</c> is not configured (<see cref="DefaultDelay"/>; only an
/// explicit 0 turns it off), and a Promoted instance counts at least 1 even when its resource's priority is
/// 0 (Pacemaker counts nothing for priority 0), so the node holding the promoted DRBD wins the race with no
/// priorities configured at all.</para>
/// </remarks>
public static class FenceDelayPolicy
{
    /// <summary>
    /// The delay when <c>priority-fencing-delay</c> is not configured: 15 s, Microsoft's published value for
    /// Pacemaker clusters on Azure. It must outlast the time the promoted side needs to power the other side
    /// off through the cloud API (the ARM power-off plus its effect) plus the detection skew between the
    /// two nodes; a smaller value lets both fences through.
    /// </summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The <c>priority-fencing-delay</c> in force: the configured value (0 = off), else <see cref="DefaultDelay"/>
    /// or, when larger, twice the largest <c>pcmk_delay_base</c>/<c>pcmk_delay_max</c> of any device
    /// (Pacemaker's guidance: "significantly greater than, safely twice, the maximum pcmk_delay_base/max").
    /// </summary>
    public static TimeSpan EffectiveDelay(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Properties.PriorityFencingDelay is { } configured)
        {
            return configured.ToTimeSpan();
        }

        var largestDeviceDelay = TimeSpan.Zero;
        foreach (var device in FenceDevices.From(config).Devices)
        {
            var perNode = device.DelayBaseByNode.Select(p => p.Value).DefaultIfEmpty(TimeSpan.Zero).Max();
            largestDeviceDelay = new[] { largestDeviceDelay, device.DelayBase, perNode, device.DelayMax }.Max();
        }

        return largestDeviceDelay * 2 > DefaultDelay ? largestDeviceDelay * 2 : DefaultDelay;
    }

    /// <summary>The priority fencing delay before fencing <paramref name="target"/>, seen from the partition <paramref name="status"/> describes.</summary>
    public static TimeSpan DelayFor(ClusterConfig config, ClusterStatus status, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        var delay = EffectiveDelay(config);
        return delay > TimeSpan.Zero && RaceFor(config, status, target) == FenceRace.Disfavoured ? delay : TimeSpan.Zero;
    }

    /// <summary>
    /// Whether fencing <paramref name="target"/> from the partition <paramref name="status"/> describes is a fence
    /// race (rules 2 and 3 of the remarks), and which side has the advantage (rule 4 and 5): the target holds the
    /// highest priority (<see cref="FenceRace.Disfavoured"/>: this side waits), or not. The cloud witness gives the
    /// disfavoured side its head start from this, whatever <c>priority-fencing-delay</c> is.
    /// </summary>
    public static FenceRace RaceFor(ClusterConfig config, ClusterStatus status, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(target);
        if (status.FindNode(target) is not { Online: false })
        {
            return FenceRace.None;
        }

        var members = status.Nodes.Count;
        var online = status.Nodes.Count(n => n.Online);
        if (online > members / 2)
        {
            return FenceRace.None;
        }

        var priorities = NodePriorities(config, status);
        var top = priorities.Values.Max();
        var lowest = priorities.Values.Min();
        return top == lowest || priorities[target] < top ? FenceRace.Favoured : FenceRace.Disfavoured;
    }

    /// <summary>Every node of <paramref name="status"/> with its total priority (see the remarks).</summary>
    internal static ImmutableDictionary<string, long> NodePriorities(ClusterConfig config, ClusterStatus status)
    {
        var index = new ConfigIndex(config);
        var totals = status.Nodes.ToDictionary(n => n.Name, _ => 0L, StringComparer.Ordinal);
        foreach (var resource in status.Resources)
        {
            if (index.FindResource(resource.Id) is not Primitive primitive)
            {
                continue;
            }

            long priority = index.EffectiveMeta(primitive.Id).GetScore(MetaNames.Priority)?.Value ?? 0;
            foreach (var instance in resource.Instances)
            {
                if (!totals.TryGetValue(instance.Node, out var total))
                {
                    continue;
                }

                var contribution = instance.Role switch
                {
                    InstanceRole.Promoted => priority + 1,
                    InstanceRole.Started or InstanceRole.Unpromoted => priority,
                    _ => 0,
                };
                totals[instance.Node] = total + contribution;
            }
        }

        return totals.ToImmutableDictionary(StringComparer.Ordinal);
    }
}
