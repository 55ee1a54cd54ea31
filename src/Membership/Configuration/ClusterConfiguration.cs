using System.Net;
using ClusterD.Membership.Quorum;

namespace ClusterD.Membership.Configuration;

/// <summary>The whole of a clusterd.conf (corosync.conf syntax), validated.</summary>
public sealed record ClusterConfiguration(
    string SourceFile,
    TotemOptions Totem,
    NodeList Nodes,
    QuorumOptions Quorum,
    LoggingOptions Logging,
    ClusterDOptions ClusterD,
    IReadOnlyList<ConfigWarning> Warnings)
{
    /// <summary>The line of each path key given in the file (e.g. "clusterd.state_dir"), for errors found on the file system.</summary>
    public IReadOnlyDictionary<string, int> KeyLines { get; init; } = new Dictionary<string, int>();

    /// <summary><c>quorum.witness</c>: the cloud witness that decides fence races; null when none is configured.</summary>
    public WitnessSection? Witness { get; init; }

    /// <summary>The line of <paramref name="key"/>, or 0 when the file does not set it (its default is used).</summary>
    public int LineOf(string key) => KeyLines.GetValueOrDefault(key);
}

/// <summary>
/// The <c>totem</c> section. <see cref="Token"/> is the effective token timeout: the configured
/// <c>token</c> plus <c>token_coefficient</c> for every node above two, as corosync computes it.
/// </summary>
public sealed record TotemOptions(
    string ClusterName,
    TimeSpan Token,
    TimeSpan HeartbeatInterval,
    string Transport,
    string CryptoCipher,
    string CryptoHash,
    IReadOnlyList<int> LinkPorts);

/// <summary>One <c>nodelist.node</c>. <see cref="Links"/> is indexed by link number; a gap is null.</summary>
public sealed record NodeConfig(NodeId Id, string Name, IReadOnlyList<IPEndPoint?> Links, uint Votes);

/// <summary>The <c>logging</c> section (the keys clusterd uses).</summary>
public sealed record LoggingOptions(bool Debug, bool ToStderr, bool ToSyslog, bool ToLogfile, string? LogFile, bool Timestamp);

/// <summary>The <c>clusterd</c> section: settings corosync does not have.</summary>
public sealed record ClusterDOptions(
    string StateDir,
    string AdminSocket,
    string? AdminSocketGroup,
    string AuthKey,
    IReadOnlyList<string> AuthKeyAccept,
    int MessagingPort,
    int? HealthProbePort)
{
    /// <summary><c>clusterd.admin_readonly_group</c>: members may read status and watch events on the admin socket, nothing else.</summary>
    public string? AdminReadOnlyGroup { get; init; }

    /// <summary>
    /// <c>clusterd.fence_agent_dir</c>: a directory searched for <c>fence_*</c> agents before <c>/usr/sbin</c>
    /// (a site's own agents, or a test bed's).
    /// </summary>
    public string? FenceAgentDir { get; init; }

    /// <summary>
    /// <c>clusterd.agent_state_dir</c>: where agents keep their state files (<c>HA_RSCTMP</c> for scripts, the
    /// native Dummy's and Stateful's). Unset: each keeps its tmpfs default (<c>/run/resource-agents</c>,
    /// <c>/run/clusterd/agents</c>), so nothing claims to run after a reboot.
    /// </summary>
    public string? AgentStateDir { get; init; }

    /// <summary><c>clusterd { watchdog { ... } }</c>: the watchdog armed while this node holds resources; null when not configured.</summary>
    public WatchdogOptions? Watchdog { get; init; }

    /// <summary><c>clusterd { scheduled_events { ... } }</c>: polling Azure's Scheduled Events.</summary>
    public ScheduledEventsOptions ScheduledEvents { get; init; } = ScheduledEventsOptions.Default;
}

/// <summary>The watchdog device and the timeout it is armed with.</summary>
public sealed record WatchdogOptions(string Device, TimeSpan Timeout)
{
    /// <summary>SBD's default SBD_WATCHDOG_TIMEOUT.</summary>
    public const uint DefaultTimeoutSeconds = 5;
}

/// <summary>Whether Azure's Scheduled Events are polled.</summary>
public enum ScheduledEventsMode
{
    /// <summary>Polled when the instance metadata service answers (on Azure), not elsewhere.</summary>
    Auto,
    On,
    Off,
}

/// <summary>Where and how often Azure's Scheduled Events are polled.</summary>
public sealed record ScheduledEventsOptions(ScheduledEventsMode Mode, Uri Endpoint, TimeSpan Interval, string? CaBundle)
{
    /// <summary>Auto, the instance metadata service's address, every 2 s.</summary>
    public static ScheduledEventsOptions Default { get; } = new(ScheduledEventsMode.Auto, new Uri("http://169.254.169.254/"), TimeSpan.FromSeconds(2), null);
}
