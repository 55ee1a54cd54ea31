using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Cluster options (<c>property ...</c>, the CIB's <c>crm_config</c>). The options clusterd acts on are
/// typed and null when not set; the <c>Is*</c>/<c>Effective*</c> properties apply Pacemaker's defaults.
/// Every other option is kept in <see cref="Other"/> as written (Pacemaker options clusterd does not
/// use, such as <c>dc-version</c>, silently; unknown ones with a warning at parse time).
/// </summary>
public sealed record ClusterProperties(
    bool? StonithEnabled = null,
    NoQuorumPolicy? NoQuorumPolicy = null,
    bool? SymmetricCluster = null,
    bool? MaintenanceMode = null,
    Duration? PriorityFencingDelay = null,
    AttributeMap Other = default)
{
    public static ClusterProperties Empty { get; } = new();

    /// <summary><c>stonith-enabled</c>, default true.</summary>
    [JsonIgnore]
    public bool IsStonithEnabled => StonithEnabled ?? true;

    /// <summary><c>no-quorum-policy</c>, default stop.</summary>
    [JsonIgnore]
    public NoQuorumPolicy EffectiveNoQuorumPolicy => NoQuorumPolicy ?? Configuration.NoQuorumPolicy.Stop;

    /// <summary><c>symmetric-cluster</c>, default true (every node allowed unless a constraint says otherwise).</summary>
    [JsonIgnore]
    public bool IsSymmetricCluster => SymmetricCluster ?? true;

    [JsonIgnore]
    public bool IsMaintenanceMode => MaintenanceMode ?? false;

    [JsonIgnore]
    public Duration EffectivePriorityFencingDelay => PriorityFencingDelay ?? Duration.Zero;

    /// <summary><c>stonith-watchdog-timeout</c> as written (Pacemaker 3's <c>fencing-watchdog-timeout</c> first); null when not set.</summary>
    [JsonIgnore]
    public string? StonithWatchdogTimeout => Other.Get("fencing-watchdog-timeout") ?? Other.Get("stonith-watchdog-timeout");

    /// <summary>
    /// Watchdog fencing is on: <c>stonith-watchdog-timeout</c> is set and not 0 (a negative value means twice the
    /// watchdog timeout). Whether it is safe on this node is the controller's check.
    /// </summary>
    [JsonIgnore]
    public bool IsWatchdogFencingConfigured =>
        StonithWatchdogTimeout is { } text && !(Duration.TryParse(text, out var d) && d == Duration.Zero);
}
