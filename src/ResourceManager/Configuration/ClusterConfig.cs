using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A whole resource configuration, as loaded from crm syntax or imported from a CIB: immutable and
/// compared by value. Each list keeps the order of the source. A <see cref="ClusterConfig"/> returned by
/// the parsers is valid as a whole: ids are unique, every reference resolves, every primitive has at
/// most one parent, and every typed value parsed. Use <see cref="ConfigIndex"/> for lookups.
/// </summary>
public sealed record ClusterConfig
{
    public static ClusterConfig Empty { get; } = new();

    /// <summary>The CIB's <c>admin_epoch</c>/<c>epoch</c>; the higher version wins when nodes rejoin.</summary>
    public ConfigVersion Version { get; init; }

    public EquatableArray<NodeDefinition> Nodes { get; init; }

    public EquatableArray<Primitive> Primitives { get; init; }

    public EquatableArray<ResourceGroup> Groups { get; init; }

    public EquatableArray<CloneResource> Clones { get; init; }

    /// <summary>
    /// The ids of the top-level resources (primitives outside groups and clones, groups, clones) in
    /// source order, when that differs from <see cref="AllResources"/>' order (primitives, then groups,
    /// then clones); empty otherwise. Pacemaker places resources in this order, so it decides ties.
    /// </summary>
    public EquatableArray<string> ResourceOrder { get; init; }

    public EquatableArray<LocationConstraint> Locations { get; init; }

    public EquatableArray<ColocationConstraint> Colocations { get; init; }

    public EquatableArray<OrderConstraint> Orders { get; init; }

    public ClusterProperties Properties { get; init; } = ClusterProperties.Empty;

    /// <summary><c>rsc_defaults</c>: meta attributes every resource inherits unless it sets its own.</summary>
    public AttributeMap ResourceDefaults { get; init; }

    /// <summary><c>op_defaults</c>: operation attributes (e.g. <c>timeout</c>) every op inherits.</summary>
    public AttributeMap OperationDefaults { get; init; }

    /// <summary>All resources: primitives, then groups, then clones.</summary>
    [JsonIgnore]
    public IEnumerable<ResourceDefinition> AllResources =>
        Primitives.Cast<ResourceDefinition>().Concat(Groups).Concat(Clones);
}
