namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// The meta attributes with a meaning for placement, read from an <see cref="AttributeMap"/>. Null
/// means "not set here": the scheduler falls back to the parent, then <c>rsc_defaults</c>, then
/// Pacemaker's defaults (stickiness 0, migration-threshold INFINITY, failure-timeout 0,
/// target-role Started, is-managed true).
/// </summary>
public readonly record struct ResourceMeta(
    ResourceRole? TargetRole,
    bool? IsManaged,
    Score? ResourceStickiness,
    Score? MigrationThreshold,
    Duration? FailureTimeout,
    Score? Priority,
    bool? Maintenance)
{
    public static ResourceMeta From(AttributeMap meta) => new(
        meta.GetRole(MetaNames.TargetRole),
        meta.GetBool(MetaNames.IsManaged),
        meta.GetScore(MetaNames.ResourceStickiness),
        meta.GetScore(MetaNames.MigrationThreshold),
        meta.GetDuration(MetaNames.FailureTimeout),
        meta.GetScore(MetaNames.Priority),
        meta.GetBool(MetaNames.Maintenance));
}
