namespace ClusterD.ResourceManager.Configuration;

/// <summary>Cluster option names: the typed ones and the other Pacemaker options accepted silently.</summary>
public static class PropertyNames
{
    public const string StonithEnabled = "stonith-enabled";

    /// <summary>Pacemaker 3.0.2's new name of <see cref="StonithEnabled"/>; read as it.</summary>
    public const string FencingEnabled = "fencing-enabled";

    public const string NoQuorumPolicy = "no-quorum-policy";
    public const string SymmetricCluster = "symmetric-cluster";
    public const string MaintenanceMode = "maintenance-mode";
    public const string PriorityFencingDelay = "priority-fencing-delay";

    /// <summary>Options Pacemaker 2.1 defines (lib/common/options.c) that clusterd keeps but does not act on yet.</summary>
    public static readonly IReadOnlySet<string> OtherKnown = new HashSet<string>(StringComparer.Ordinal)
    {
        "dc-version", "cluster-infrastructure", "cluster-name", "have-watchdog", "last-lrm-refresh",
        "dc-deadtime", "cluster-recheck-interval", "load-threshold", "node-action-limit", "fence-reaction",
        "election-timeout", "shutdown-escalation", "join-integration-timeout", "join-finalization-timeout",
        "transition-delay", "enable-startup-probes", "shutdown-lock", "shutdown-lock-limit", "stop-all-resources",
        "stop-orphan-resources", "stop-orphan-actions", "start-failure-is-fatal", "enable-acl", "placement-strategy",
        "node-health-strategy", "node-health-base", "node-health-green", "node-health-yellow", "node-health-red",
        "stonith-action", "fencing-action", "stonith-timeout", "fencing-timeout", "stonith-max-attempts",
        "stonith-watchdog-timeout", "fencing-watchdog-timeout", "concurrent-fencing", "startup-fencing",
        "cluster-delay", "cluster-ipc-limit", "batch-limit", "migration-limit", "pe-error-series-max",
        "pe-warn-series-max", "pe-input-series-max", "node-pending-timeout",
        "default-resource-stickiness", "is-managed-default", "remove-after-stop", "crmd-transition-delay",
    };
}
