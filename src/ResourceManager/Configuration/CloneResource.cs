using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A clone of a primitive or a group, optionally promotable (crm <c>ms</c>, CIB <c>master</c>, or
/// <c>clone ... meta promotable=true</c>: all read into <see cref="Promotable"/>, and <c>promotable</c>
/// is not kept in <see cref="ResourceDefinition.Meta"/>). The old names <c>master-max</c> and
/// <c>master-node-max</c> are stored as <c>promoted-max</c> and <c>promoted-node-max</c>.
/// </summary>
public sealed record CloneResource(
    string Id,
    string Child,
    bool Promotable = false,
    AttributeMap Meta = default,
    string? Description = null)
    : ResourceDefinition(Id, Meta, Description)
{
    /// <summary><c>clone-max</c>; Pacemaker's default is the number of nodes.</summary>
    [JsonIgnore]
    public int? CloneMax => Meta.GetCount(MetaNames.CloneMax);

    /// <summary><c>clone-node-max</c>, default 1.</summary>
    [JsonIgnore]
    public int CloneNodeMax => Meta.GetCount(MetaNames.CloneNodeMax) ?? 1;

    /// <summary><c>promoted-max</c>, default 1 (only meaningful when <see cref="Promotable"/>).</summary>
    [JsonIgnore]
    public int PromotedMax => Meta.GetCount(MetaNames.PromotedMax) ?? 1;

    /// <summary><c>promoted-node-max</c>, default 1.</summary>
    [JsonIgnore]
    public int PromotedNodeMax => Meta.GetCount(MetaNames.PromotedNodeMax) ?? 1;

    [JsonIgnore]
    public bool Notify => Meta.GetBool(MetaNames.Notify) ?? false;

    [JsonIgnore]
    public bool Interleave => Meta.GetBool(MetaNames.Interleave) ?? false;

    [JsonIgnore]
    public bool GloballyUnique => Meta.GetBool(MetaNames.GloballyUnique) ?? false;

    [JsonIgnore]
    public bool Ordered => Meta.GetBool(MetaNames.Ordered) ?? false;
}
