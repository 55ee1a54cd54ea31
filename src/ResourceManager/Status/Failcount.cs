using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// Failures of a primitive on a node, summed over its operations (Pacemaker keeps one
/// <c>fail-count-RSC#OP_INTERVAL</c> attribute per operation), with the time of the latest one for
/// <c>failure-timeout</c>. The resource is banned from the node once <see cref="Count"/> reaches
/// <c>migration-threshold</c>.
/// </summary>
public sealed record Failcount(string Resource, string Node, Score Count, DateTimeOffset? LastFailure = null);
