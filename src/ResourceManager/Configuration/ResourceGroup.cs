namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A group: primitives started in the listed order and stopped in reverse, all on the same node
/// (an implicit chain of order and colocation constraints).
/// </summary>
public sealed record ResourceGroup(
    string Id,
    EquatableArray<string> Members,
    AttributeMap Meta = default,
    string? Description = null)
    : ResourceDefinition(Id, Meta, Description);
