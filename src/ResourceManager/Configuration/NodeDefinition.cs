using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A <c>node</c> statement: the node name (uname), its optional id and its permanent attributes
/// (<c>standby</c> and any attribute used by location rules) and utilization.
/// </summary>
public sealed record NodeDefinition(
    string Name,
    string? Id = null,
    AttributeMap Attributes = default,
    AttributeMap Utilization = default,
    string? Description = null)
{
    /// <summary>The permanent <c>standby</c> attribute (off when absent).</summary>
    [JsonIgnore]
    public bool Standby => Attributes.GetBool(MetaNames.Standby) ?? false;
}
