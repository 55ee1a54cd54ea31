using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Fencing.Devices;

/// <summary>
/// The fence devices of a configuration, in configuration order (the order the fencer tries them in):
/// every <c>stonith:TYPE</c> primitive not stopped by its <c>target-role</c>. The seed's
/// <c>stonith:external/azure</c> (a cluster-glue plugin) becomes a <c>fence_azure_arm</c> device whose
/// <c>hostlist</c> is its static host list. Values the fencer cannot
/// read (a <c>pcmk_host_check</c> it does not know, a delay that is not a duration) fall back to
/// Pacemaker's default and are reported in <see cref="Warnings"/>, as Pacemaker logs and ignores them.
/// </summary>
/// <remarks>
/// Fencing levels (<c>fencing_topology</c>) are not read: the crm parser skips that statement, so every
/// device forms one level.
/// </remarks>
public sealed class FenceDevices
{
    private const string Prefix = "pcmk_";

    private static readonly FenceAction[] ConfigurableActions =
        [FenceAction.Off, FenceAction.On, FenceAction.Reboot, FenceAction.Status, FenceAction.List, FenceAction.Monitor];

    /// <summary>Pacemaker options the fencer accepts without acting on them (retries are the fencer's rounds).</summary>
    private static readonly ImmutableHashSet<string> AcceptedUnused = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "pcmk_action_limit", "pcmk_off_retries", "pcmk_on_retries", "pcmk_reboot_retries", "pcmk_status_retries",
        "pcmk_list_retries", "pcmk_monitor_retries", "pcmk_host_argument");

    private FenceDevices(ImmutableArray<FenceDevice> devices, ImmutableArray<string> warnings)
    {
        Devices = devices;
        Warnings = warnings;
    }

    /// <summary>An empty set.</summary>
    public static FenceDevices None { get; } = new([], []);

    /// <summary>The devices in configuration order.</summary>
    public ImmutableArray<FenceDevice> Devices { get; }

    /// <summary>What could not be read, each naming the device and the option.</summary>
    public ImmutableArray<string> Warnings { get; }

    /// <summary>Reads the devices of <paramref name="config"/>.</summary>
    public static FenceDevices From(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var index = new ConfigIndex(config);
        var devices = ImmutableArray.CreateBuilder<FenceDevice>();
        var warnings = new List<string>();
        foreach (var primitive in config.Primitives)
        {
            if (!primitive.Agent.IsStonith
                || index.EffectiveMeta(primitive.Id).GetRole(MetaNames.TargetRole) == ResourceRole.Stopped)
            {
                continue;
            }

            devices.Add(Read(primitive, config.OperationDefaults, warnings));
        }

        return new FenceDevices(devices.ToImmutable(), [.. warnings]);
    }

    /// <summary>One device from its primitive; what cannot be read is added to <paramref name="warnings"/>.</summary>
    internal static FenceDevice Read(Primitive primitive, AttributeMap operationDefaults, List<string> warnings)
    {
        var p = primitive.Params;
        var problems = new List<string>();
        var agentType = primitive.Agent.Type;
        var hostList = HostLists.ParseTargets(p.Get("pcmk_host_list"));

        // cluster-glue's external/azure (the seed's device) names its nodes in hostlist; the built-in Azure agent runs it.
        var external = agentType == Azure.AzureArmFenceAgent.ExternalAzureType;
        if (external)
        {
            agentType = Azure.AzureArmFenceAgent.AgentType;
            if (hostList.IsEmpty)
            {
                hostList = HostLists.ParseTargets(p.Get("hostlist"));
            }
        }

        var hostMap = HostLists.ParseHostMap(p.Get("pcmk_host_map"), problems);

        // Pacemaker: static-list when a list or map is given, else ask the agent.
        var check = hostList.Length > 0 || hostMap.Length > 0 ? HostCheck.StaticList : HostCheck.DynamicList;
        if (p.Get("pcmk_host_check") is { } checkText)
        {
            if (TryParseHostCheck(checkText, out var parsed))
            {
                check = parsed;
            }
            else
            {
                problems.Add($"pcmk_host_check '{checkText}' is not static-list, dynamic-list, status or none; using {Name(check)}");
            }
        }

        var overrides = ImmutableDictionary.CreateBuilder<FenceAction, FenceAction>();
        var timeouts = ImmutableDictionary.CreateBuilder<FenceAction, TimeSpan>();
        foreach (var action in ConfigurableActions)
        {
            var name = Scripts.FenceActionNames.ToAgentName(action);
            if (p.Get($"pcmk_{name}_action") is { } text)
            {
                if (Scripts.FenceActionNames.TryParse(text, out var to) && to is not FenceAction.Metadata)
                {
                    overrides[action] = to;
                }
                else
                {
                    problems.Add($"pcmk_{name}_action '{text}' is not a fence action");
                }
            }

            if (ReadDuration(p, $"pcmk_{name}_timeout", problems) is { } timeout)
            {
                timeouts[action] = timeout;
            }
        }

        // The monitor's op timeout (or op_defaults) applies when pcmk_monitor_timeout does not say otherwise.
        if (!timeouts.ContainsKey(FenceAction.Monitor)
            && (primitive.Operations.FirstOrDefault(o => o.Name == "monitor")?.Timeout ?? operationDefaults.GetDuration("timeout")) is { } monitor)
        {
            timeouts[FenceAction.Monitor] = monitor.ToTimeSpan();
        }

        var (delayBase, delayByNode) = ReadDelayBase(p.Get("pcmk_delay_base"), problems);
        var delayMax = ReadDuration(p, "pcmk_delay_max", problems) ?? TimeSpan.Zero;

        var parameters = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in p)
        {
            if (key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                if (!IsKnown(key))
                {
                    problems.Add($"{key} is not a Pacemaker fencing option; ignored");
                }
            }
            else if (external && key == "hostlist")
            {
                continue;
            }
            else if (key == "action")
            {
                problems.Add("parameter 'action' is ignored: the fencer sets the action (use pcmk_off_action or pcmk_reboot_action)");
            }
            else
            {
                parameters[key] = value;
            }
        }

        if (!Scripts.FenceAgentLocator.IsValidName(agentType))
        {
            problems.Add($"agent '{agentType}' is not a fence_* agent name; fencing with it fails");
        }

        warnings.AddRange(problems.Select(problem => $"fence device {primitive.Id}: {problem}"));
        return new FenceDevice(primitive.Id, agentType, parameters.ToImmutable())
        {
            HostCheck = check,
            HostList = hostList,
            HostMap = hostMap,
            HostArgument = p.Get("pcmk_host_argument"),
            ActionOverrides = overrides.ToImmutable(),
            ActionTimeouts = timeouts.ToImmutable(),
            DelayBase = delayBase,
            DelayBaseByNode = delayByNode,
            DelayMax = delayMax,
        };
    }

    internal static bool TryParseHostCheck(string text, out HostCheck check)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "static-list":
                check = HostCheck.StaticList;
                return true;
            case "dynamic-list":
                check = HostCheck.DynamicList;
                return true;
            case "status":
                check = HostCheck.Status;
                return true;
            case "none":
                check = HostCheck.None;
                return true;
            default:
                check = default;
                return false;
        }
    }

    private static string Name(HostCheck check) => check switch
    {
        HostCheck.StaticList => "static-list",
        HostCheck.DynamicList => "dynamic-list",
        HostCheck.Status => "status",
        _ => "none",
    };

    private static bool IsKnown(string key) =>
        AcceptedUnused.Contains(key)
        || key is "pcmk_host_list" or "pcmk_host_map" or "pcmk_host_check" or "pcmk_delay_base" or "pcmk_delay_max"
        || ConfigurableActions.Any(a => key == $"pcmk_{Scripts.FenceActionNames.ToAgentName(a)}_action"
            || key == $"pcmk_{Scripts.FenceActionNames.ToAgentName(a)}_timeout");

    private static TimeSpan? ReadDuration(AttributeMap p, string key, List<string> problems)
    {
        if (p.Get(key) is not { } text)
        {
            return null;
        }

        if (Duration.TryParse(text, out var duration))
        {
            return duration.ToTimeSpan();
        }

        problems.Add($"{key} '{text}' is not a duration");
        return null;
    }

    /// <summary>
    /// <c>pcmk_delay_base</c>: one duration, or per node (<c>node1:0;node2:10s</c>, Pacemaker 2.1's
    /// <c>get_action_delay_base</c>), the map syntax of <c>pcmk_host_map</c> with durations for plugs.
    /// </summary>
    private static (TimeSpan Base, ImmutableArray<KeyValuePair<string, TimeSpan>> ByNode) ReadDelayBase(string? text, List<string> problems)
    {
        if (text is null)
        {
            return (TimeSpan.Zero, []);
        }

        if (!text.Contains(':', StringComparison.Ordinal) && !text.Contains('=', StringComparison.Ordinal))
        {
            if (Duration.TryParse(text, out var single))
            {
                return (single.ToTimeSpan(), []);
            }

            problems.Add($"pcmk_delay_base '{text}' is not a duration");
            return (TimeSpan.Zero, []);
        }

        var byNode = ImmutableArray.CreateBuilder<KeyValuePair<string, TimeSpan>>();
        foreach (var (node, value) in HostLists.ParseHostMap(text, problems, "pcmk_delay_base"))
        {
            if (Duration.TryParse(value, out var delay))
            {
                byNode.Add(KeyValuePair.Create(node, delay.ToTimeSpan()));
            }
            else
            {
                problems.Add($"pcmk_delay_base for {node}: '{value}' is not a duration");
            }
        }

        return (TimeSpan.Zero, byNode.ToImmutable());
    }
}
