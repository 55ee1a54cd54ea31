using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// What the primitives, groups and clones share: a cluster-wide unique id, meta attributes
/// (<c>target-role</c>, <c>is-managed</c>, <c>resource-stickiness</c>, ...) and an optional description.
/// Meta attributes are kept as written; <see cref="Options"/> reads the ones with a meaning.
/// </summary>
public abstract record ResourceDefinition(string Id, AttributeMap Meta, string? Description)
{
    /// <summary>The typed meta attributes set on this resource itself (not inherited, not defaulted).</summary>
    [JsonIgnore]
    public ResourceMeta Options => ResourceMeta.From(Meta);
}
