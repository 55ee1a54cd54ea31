namespace ClusterD.Fencing.Devices;

/// <summary>How a device decides whether it can fence a node (Pacemaker's <c>pcmk_host_check</c>).</summary>
public enum HostCheck
{
    /// <summary>The node's plug is in <c>pcmk_host_list</c> or among the plugs of <c>pcmk_host_map</c>.</summary>
    StaticList,

    /// <summary>The node's plug is among what the agent's <c>list</c> action prints (cached).</summary>
    DynamicList,

    /// <summary>The agent's <c>status</c> action for the node's plug answers on or off.</summary>
    Status,

    /// <summary>The device can fence every node.</summary>
    None,
}
