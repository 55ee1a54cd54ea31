namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Lookups over a valid <see cref="ClusterConfig"/>: resources by id, the parent of each resource,
/// promotability, the primitives under a resource, and the meta attributes that apply after
/// inheritance. Built once per configuration (O(n)); every lookup is O(1) or O(depth).
/// </summary>
public sealed class ConfigIndex
{
    // One index per configuration object, shared (configurations are immutable, and an index is only read
    // after construction): the scheduler, the executor and every agent call of a transition need the same one.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ClusterConfig, ConfigIndex> Shared = new();

    // Plain dictionaries, read only after construction: building frozen ones for thousands of resources
    // costs more than all their lookups save.
    private readonly Dictionary<string, ResourceDefinition> _resources;
    private readonly Dictionary<string, Primitive[]> _primitives;
    private readonly Dictionary<string, ResourceDefinition> _parents;
    private readonly Dictionary<string, NodeDefinition> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LocationConstraint>> _locations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ordered;

    public ConfigIndex(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var count = config.Primitives.Count + config.Groups.Count + config.Clones.Count;
        _resources = new(count, StringComparer.Ordinal);
        _parents = new(count, StringComparer.Ordinal);
        foreach (var resource in config.AllResources)
        {
            _resources.TryAdd(resource.Id, resource);
        }

        foreach (var group in config.Groups)
        {
            foreach (var member in group.Members)
            {
                _parents.TryAdd(member, group);
            }
        }

        foreach (var clone in config.Clones)
        {
            _parents.TryAdd(clone.Child, clone);
        }

        foreach (var node in config.Nodes)
        {
            _nodes.TryAdd(node.Name, node);
        }

        foreach (var location in config.Locations)
        {
            if (!_locations.TryGetValue(location.Resource, out var list))
            {
                list = [];
                _locations[location.Resource] = list;
            }

            list.Add(location);
        }

        _ordered = new HashSet<string>(config.ResourceOrder, StringComparer.Ordinal);
        _primitives = new(count, StringComparer.Ordinal);
        foreach (var id in _resources.Keys)
        {
            var list = new List<Primitive>(1);
            Collect(FindResource(id), list);
            _primitives[id] = [.. list];
        }
    }

    /// <summary>The index of <paramref name="config"/>, built on first use and shared while the configuration lives.</summary>
    public static ConfigIndex Of(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Shared.GetValue(config, static c => new ConfigIndex(c));
    }

    public ClusterConfig Config { get; }

    /// <summary>The top-level resources in source order (<see cref="ClusterConfig.ResourceOrder"/>, else primitives, groups, clones).</summary>
    public IEnumerable<ResourceDefinition> TopLevel => Config.ResourceOrder.Count == 0
        ? Config.AllResources.Where(r => !_parents.ContainsKey(r.Id))
        : Config.ResourceOrder.Select(FindResource).OfType<ResourceDefinition>()
            .Concat(Config.AllResources.Where(r => !_parents.ContainsKey(r.Id) && !_ordered.Contains(r.Id)));

    public bool TryGetResource(string id, out ResourceDefinition resource) => _resources.TryGetValue(id, out resource!);

    public ResourceDefinition? FindResource(string id) => _resources.GetValueOrDefault(id);

    public NodeDefinition? FindNode(string name) => _nodes.GetValueOrDefault(name);

    /// <summary>The location constraints written for exactly <paramref name="id"/> (not its parents), in configuration order.</summary>
    public IReadOnlyList<LocationConstraint> LocationsOf(string id) => _locations.TryGetValue(id, out var locations) ? locations : [];

    /// <summary>The group or clone directly containing <paramref name="id"/>, if any.</summary>
    public ResourceDefinition? ParentOf(string id) => _parents.GetValueOrDefault(id);

    /// <summary>The clone that <paramref name="id"/> is, or is inside (directly or through a group).</summary>
    public CloneResource? CloneOf(string id)
    {
        for (var r = FindResource(id); r is not null; r = ParentOf(r.Id))
        {
            if (r is CloneResource clone)
            {
                return clone;
            }
        }

        return null;
    }

    /// <summary>True for a promotable clone and for everything inside one.</summary>
    public bool IsPromotable(string id) => CloneOf(id)?.Promotable ?? false;

    /// <summary>The primitives a resource consists of, in order: itself, a group's members, a clone's child's primitives.</summary>
    public IReadOnlyList<Primitive> PrimitivesOf(string id) => _primitives.TryGetValue(id, out var primitives) ? primitives : [];

    /// <summary>
    /// The meta attributes in force for a resource: <c>rsc_defaults</c>, overridden by the outermost
    /// parent's meta, then inner parents', then the resource's own (Pacemaker's inheritance).
    /// </summary>
    public AttributeMap EffectiveMeta(string id) => MetaOf(FindResource(id));

    // Outermost first; a chain is at most three deep (a primitive in a group in a clone).
    private AttributeMap MetaOf(ResourceDefinition? resource) =>
        resource is null ? Config.ResourceDefaults : MetaOf(ParentOf(resource.Id)).Merge(resource.Meta);

    private void Collect(ResourceDefinition? resource, List<Primitive> into)
    {
        switch (resource)
        {
            case Primitive p:
                into.Add(p);
                break;
            case ResourceGroup g:
                foreach (var member in g.Members)
                {
                    Collect(FindResource(member), into);
                }

                break;
            case CloneResource c:
                Collect(FindResource(c.Child), into);
                break;
        }
    }
}
