using System.Collections.Immutable;

namespace ClusterD.Fencing.Devices;

/// <summary>
/// A fence device: one <c>stonith:TYPE</c> primitive of the configuration, with the <c>pcmk_*</c> options
/// Pacemaker's fencer reads from its parameters taken out and typed, and everything else passed to the
/// agent. Immutable; built by <see cref="FenceDevices.From"/>.
/// </summary>
/// <param name="Id">The primitive's id (<c>st-azure</c>).</param>
/// <param name="AgentType">The agent (<c>fence_azure_arm</c>): the <c>TYPE</c> of <c>stonith:TYPE</c>.</param>
/// <param name="Parameters">What the agent gets as <c>name=value</c> lines: the primitive's params without <c>pcmk_*</c> and <c>action</c>.</param>
public sealed record FenceDevice(string Id, string AgentType, ImmutableDictionary<string, string> Parameters)
{
    /// <summary>What <c>pcmk_host_argument</c> set to this value means: the agent gets no plug at all.</summary>
    public const string NoHostArgument = "none";

    /// <summary>How the device decides whether it can fence a node (<c>pcmk_host_check</c>, defaulted as Pacemaker does).</summary>
    public HostCheck HostCheck { get; init; } = HostCheck.DynamicList;

    /// <summary><c>pcmk_host_list</c>: the nodes (plugs) a static-list device fences.</summary>
    public ImmutableArray<string> HostList { get; init; } = [];

    /// <summary><c>pcmk_host_map</c>: node name to plug, in the order written.</summary>
    public ImmutableArray<KeyValuePair<string, string>> HostMap { get; init; } = [];

    /// <summary>
    /// <c>pcmk_host_argument</c>: the agent parameter that carries the plug; null means <c>plug</c>, the
    /// parameter every fence-agents agent understands; <see cref="NoHostArgument"/> sends none.
    /// </summary>
    public string? HostArgument { get; init; }

    /// <summary><c>pcmk_off_action</c>, <c>pcmk_reboot_action</c>, ...: the action the agent is told instead.</summary>
    public ImmutableDictionary<FenceAction, FenceAction> ActionOverrides { get; init; } = ImmutableDictionary<FenceAction, FenceAction>.Empty;

    /// <summary><c>pcmk_off_timeout</c>, <c>pcmk_list_timeout</c>, ... and <c>op monitor timeout</c>: per-action timeouts.</summary>
    public ImmutableDictionary<FenceAction, TimeSpan> ActionTimeouts { get; init; } = ImmutableDictionary<FenceAction, TimeSpan>.Empty;

    /// <summary><c>pcmk_delay_base</c> as one value for every node.</summary>
    public TimeSpan DelayBase { get; init; }

    /// <summary><c>pcmk_delay_base</c> in its per-node form (<c>node1:0;node2:10s</c>); a node not listed gets <see cref="DelayBase"/>.</summary>
    public ImmutableArray<KeyValuePair<string, TimeSpan>> DelayBaseByNode { get; init; } = [];

    /// <summary><c>pcmk_delay_max</c>: the random delay's upper bound (0: none).</summary>
    public TimeSpan DelayMax { get; init; }

    /// <summary>The name the device knows <paramref name="node"/> by: its <c>pcmk_host_map</c> entry (node names compared ignoring case), else the node name.</summary>
    public string PlugFor(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var (name, plug) in HostMap)
        {
            if (string.Equals(name, node, StringComparison.OrdinalIgnoreCase))
            {
                return plug;
            }
        }

        return node;
    }

    /// <summary>
    /// For <see cref="HostCheck.StaticList"/>: whether <paramref name="node"/>'s plug is in the host list or
    /// among the host map's plugs (Pacemaker adds the map's plugs to the device's targets). Null for the
    /// other checks, which need the agent (<see cref="HostCheck.None"/>: always true).
    /// </summary>
    public bool? CanFenceStatically(string node)
    {
        switch (HostCheck)
        {
            case HostCheck.None:
                return true;
            case HostCheck.StaticList:
                var plug = PlugFor(node);
                return HostList.Contains(plug, StringComparer.OrdinalIgnoreCase)
                    || HostMap.Any(p => string.Equals(p.Value, plug, StringComparison.OrdinalIgnoreCase));
            default:
                return null;
        }
    }

    /// <summary>The action the agent is told for <paramref name="action"/> (<c>pcmk_reboot_action=off</c> turns reboots into power-offs).</summary>
    public FenceAction AgentActionFor(FenceAction action) => ActionOverrides.GetValueOrDefault(action, action);

    /// <summary>The timeout of <paramref name="action"/> on this device: its own setting, else <paramref name="fallback"/> (<c>stonith-timeout</c>).</summary>
    public TimeSpan TimeoutFor(FenceAction action, TimeSpan fallback) => ActionTimeouts.GetValueOrDefault(action, fallback);

    /// <summary>
    /// The agent request to run <paramref name="action"/> against <paramref name="node"/> (null: the device
    /// itself): the override applied, the plug passed as <see cref="HostArgument"/> says, and the node name as
    /// <c>nodename</c> (as Pacemaker passes it; agents that do not know it skip it).
    /// </summary>
    public FenceRequest RequestFor(FenceAction action, string? node, TimeSpan timeout)
    {
        var parameters = Parameters;
        string? plug = null;
        if (node is not null)
        {
            parameters = parameters.SetItem("nodename", node);
            var target = PlugFor(node);
            switch (HostArgument)
            {
                case null or "plug":
                    plug = target;
                    break;
                case NoHostArgument:
                    break;
                default:
                    parameters = parameters.SetItem(HostArgument, target);
                    break;
            }
        }

        return new FenceRequest(AgentActionFor(action), plug, parameters, timeout);
    }

    /// <summary>
    /// The device's own delay before fencing <paramref name="node"/>, as Pacemaker's fencer draws it
    /// (<c>schedule_stonith_command</c>): only for off and reboot; a max of 0 means max = base; a base above
    /// the max is cut to the max; then base plus a uniform draw in [0, max - base). The draw comes from
    /// <paramref name="random"/>, so a seeded run repeats.
    /// </summary>
    public TimeSpan DelayFor(FenceAction action, string node, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (action is not (FenceAction.Off or FenceAction.Reboot))
        {
            return TimeSpan.Zero;
        }

        var baseDelay = DelayBase;
        foreach (var (name, delay) in DelayBaseByNode)
        {
            if (string.Equals(name, node, StringComparison.OrdinalIgnoreCase))
            {
                baseDelay = delay;
                break;
            }
        }

        var max = DelayMax == TimeSpan.Zero ? baseDelay : DelayMax;
        if (max < baseDelay)
        {
            baseDelay = max;
        }

        var spread = (long)(max - baseDelay).TotalMilliseconds;
        return spread > 0 ? baseDelay + TimeSpan.FromMilliseconds(random.NextInt64(spread)) : baseDelay;
    }
}
