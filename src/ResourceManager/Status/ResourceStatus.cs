using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// Where a primitive runs. A clone's instances are listed under the primitive's id, told apart by
/// node; a group's members each have their own entry. No instance means stopped everywhere.
/// </summary>
public sealed record ResourceStatus(string Id, string Agent, EquatableArray<ResourceInstance> Instances = default)
{
    public InstanceRole RoleOn(string node) => Instances.FirstOrDefault(i => i.Node == node)?.Role ?? InstanceRole.Stopped;

    /// <summary>Nodes where an instance is active (Started, Unpromoted or Promoted).</summary>
    public IEnumerable<string> ActiveOn => Instances
        .Where(i => i.Role is InstanceRole.Started or InstanceRole.Unpromoted or InstanceRole.Promoted)
        .Select(i => i.Node);
}
