namespace ClusterD.Agents.Native;

/// <summary>Settings shared by the native agents.</summary>
public sealed record NativeAgentOptions
{
    /// <summary>
    /// Where native agents keep state files (Dummy's and Stateful's). On tmpfs by default, like
    /// <c>HA_RSCTMP</c>: after a reboot nothing is running, so no state may survive it.
    /// </summary>
    public string StateDirectory { get; init; } = "/run/clusterd/agents";
}
