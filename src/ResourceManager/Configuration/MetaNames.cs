namespace ClusterD.ResourceManager.Configuration;

/// <summary>Names of the meta attributes and properties with a meaning in clusterd.</summary>
public static class MetaNames
{
    public const string TargetRole = "target-role";
    public const string IsManaged = "is-managed";
    public const string ResourceStickiness = "resource-stickiness";
    public const string MigrationThreshold = "migration-threshold";
    public const string FailureTimeout = "failure-timeout";
    public const string Priority = "priority";
    public const string Maintenance = "maintenance";
    public const string MultipleActive = "multiple-active";

    public const string Promotable = "promotable";
    public const string CloneMax = "clone-max";
    public const string CloneNodeMax = "clone-node-max";
    public const string PromotedMax = "promoted-max";
    public const string PromotedNodeMax = "promoted-node-max";

    /// <summary>Old name of <see cref="PromotedMax"/>, read and stored as the new one.</summary>
    public const string MasterMax = "master-max";

    /// <summary>Old name of <see cref="PromotedNodeMax"/>, read and stored as the new one.</summary>
    public const string MasterNodeMax = "master-node-max";

    public const string Notify = "notify";
    public const string Interleave = "interleave";
    public const string GloballyUnique = "globally-unique";
    public const string Ordered = "ordered";

    public const string Standby = "standby";
}
