namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Collects what a front-end (crm parser, CIB import) read, with source positions, and validates the
/// whole configuration at the end: unique ids, resolvable references, one parent per resource,
/// sensible roles. <see cref="Build"/> returns a configuration only when no error was reported.
/// </summary>
internal sealed partial class ConfigBuilder(string file, CancellationToken cancellation = default)
{
    private readonly List<ConfigDiagnostic> _errors = [];
    private readonly List<ConfigDiagnostic> _warnings = [];
    private readonly Dictionary<string, (string Kind, SourcePos At)> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourcePos> _nodeNames = new(StringComparer.Ordinal);
    private readonly List<PendingReference> _references = [];
    private readonly List<(string Id, string Other, SourcePos At, string What)> _selfChecks = [];
    private readonly List<NodeDefinition> _nodes = [];
    private readonly List<Primitive> _primitives = [];
    private readonly List<ResourceGroup> _groups = [];
    private readonly List<CloneResource> _clones = [];
    private readonly List<LocationConstraint> _locations = [];
    private readonly List<ColocationConstraint> _colocations = [];
    private readonly List<OrderConstraint> _orders = [];
    private readonly List<string> _resourceSequence = [];

    /// <summary>What a reference must resolve to.</summary>
    public enum ReferenceKind
    {
        GroupMember,
        CloneChild,
        Constraint,
    }

    public string File { get; } = file;

    /// <summary>Checked by the front-ends once per statement or element, and by <see cref="Build"/> once per resource.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    public ConfigVersion Version { get; set; }

    public bool HasErrors => _errors.Count > 0;

    public void Error(SourcePos at, string message) => _errors.Add(new ConfigDiagnostic(File, at.Line, at.Column, message));

    public void Warn(SourcePos at, string message) => _warnings.Add(new ConfigDiagnostic(File, at.Line, at.Column, message));

    /// <summary>Claims a resource or constraint id (one namespace, as in the CIB); false after reporting a bad or duplicate id.</summary>
    public bool Declare(string id, string kind, SourcePos at)
    {
        if (!AttributeRules.IsValidId(id))
        {
            Error(at, $"'{id}' is not a valid id (a letter or '_', then letters, digits, '_', '-', '.')");
            return false;
        }

        if (_ids.TryGetValue(id, out var first))
        {
            Error(at, $"duplicate id '{id}': already used by the {first.Kind} at line {first.At.Line}");
            return false;
        }

        _ids[id] = (kind, at);
        return true;
    }

    /// <summary>Records that <paramref name="id"/> must exist; checked in <see cref="Build"/>.</summary>
    public void Reference(string id, SourcePos at, ReferenceKind kind, string owner, ResourceRole? role = null, ResourceAction? action = null) =>
        _references.Add(new PendingReference(id, at, kind, owner, role, action, RoleOnly: false));

    /// <summary>A second mention of a constraint's resource that only adds a role to check (a rule's <c>$role</c>).</summary>
    public void RoleReference(string id, SourcePos at, string owner, ResourceRole role) =>
        _references.Add(new PendingReference(id, at, ReferenceKind.Constraint, owner, role, null, RoleOnly: true));

    /// <summary>Reports an error in <see cref="Build"/> when a constraint names the same resource twice.</summary>
    public void NotSelf(string id, string other, SourcePos at, string what) => _selfChecks.Add((id, other, at, what));

    public void AddNode(NodeDefinition node, SourcePos at)
    {
        if (_nodeNames.TryGetValue(node.Name, out var first))
        {
            Error(at, $"node '{node.Name}' is declared twice (first at line {first.Line})");
            return;
        }

        _nodeNames[node.Name] = at;
        _nodes.Add(node);
    }

    public void Add(Primitive primitive)
    {
        _primitives.Add(primitive);
        _resourceSequence.Add(primitive.Id);
    }

    public void Add(ResourceGroup group)
    {
        _groups.Add(group);
        _resourceSequence.Add(group.Id);
    }

    public void Add(CloneResource clone)
    {
        _clones.Add(clone);
        _resourceSequence.Add(clone.Id);
    }

    public void Add(LocationConstraint location) => _locations.Add(location);

    public void Add(ColocationConstraint colocation) => _colocations.Add(colocation);

    public void Add(OrderConstraint order) => _orders.Add(order);

    public ConfigParseResult Build()
    {
        if (!HasErrors)
        {
            Validate();
        }

        var config = HasErrors ? null : new ClusterConfig
        {
            Version = Version,
            Nodes = [.. _nodes],
            Primitives = [.. _primitives],
            Groups = [.. _groups],
            Clones = [.. _clones],
            ResourceOrder = [.. ResourceOrder()],
            Locations = [.. _locations],
            Colocations = [.. _colocations],
            Orders = [.. _orders],
            Properties = BuildProperties(),
            ResourceDefaults = ResourceDefaultsMap(),
            OperationDefaults = OperationDefaultsMap(),
        };
        return new ConfigParseResult(config, [.. _errors], [.. _warnings]);
    }

    /// <summary>The top-level resources in the order they were read, or nothing when that is primitives, groups, clones.</summary>
    private List<string> ResourceOrder()
    {
        var children = _groups.SelectMany(g => g.Members).Concat(_clones.Select(c => c.Child)).ToHashSet(StringComparer.Ordinal);
        var read = _resourceSequence.Where(id => !children.Contains(id)).ToList();
        var byKind = _primitives.Select(p => p.Id).Concat(_groups.Select(g => g.Id)).Concat(_clones.Select(c => c.Id)).Where(id => !children.Contains(id));
        return read.SequenceEqual(byKind, StringComparer.Ordinal) ? [] : read;
    }

    private void Validate()
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, (kind, _)) in _ids)
        {
            kinds[id] = kind;
        }

        // One parent per resource: a primitive in two groups, or grouped and cloned, is an error.
        var parents = new Dictionary<string, (string Owner, SourcePos At)>(StringComparer.Ordinal);
        foreach (var r in _references.Where(r => r.Kind != ReferenceKind.Constraint))
        {
            if (!kinds.TryGetValue(r.Id, out var kind) || !IsResourceKind(kind))
            {
                Error(r.At, $"{r.Owner} refers to '{r.Id}', which is not defined (expected a {(r.Kind == ReferenceKind.GroupMember ? "primitive" : "primitive or group")})");
                continue;
            }

            if (r.Kind == ReferenceKind.GroupMember && kind != "primitive")
            {
                Error(r.At, $"{r.Owner} can only hold primitives, but '{r.Id}' is a {kind}");
                continue;
            }

            if (r.Kind == ReferenceKind.CloneChild && kind is not ("primitive" or "group"))
            {
                Error(r.At, $"{r.Owner} can only clone a primitive or a group, but '{r.Id}' is a {kind}");
                continue;
            }

            if (parents.TryGetValue(r.Id, out var first))
            {
                Error(r.At, $"{r.Owner} uses '{r.Id}', which is already in {first.Owner} (line {first.At.Line}); a resource has at most one parent");
                continue;
            }

            parents[r.Id] = (r.Owner, r.At);
        }

        var promotableClones = _clones.Where(c => c.Promotable).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var parentOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in _groups)
        {
            Cancellation.ThrowIfCancellationRequested();
            foreach (var member in group.Members)
            {
                parentOf.TryAdd(member, group.Id);
            }
        }

        foreach (var clone in _clones)
        {
            parentOf.TryAdd(clone.Child, clone.Id);
        }

        bool IsPromotable(string id)
        {
            // Bounded walk: a valid tree is at most clone > group > primitive deep.
            for (var (current, depth) = (id, 0); depth < 4; depth++)
            {
                if (promotableClones.Contains(current))
                {
                    return true;
                }

                if (!parentOf.TryGetValue(current, out var owner))
                {
                    return false;
                }

                current = owner;
            }

            return false;
        }

        var cloneChildren = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var clone in _clones)
        {
            cloneChildren.TryAdd(clone.Child, clone.Id);
        }

        foreach (var r in _references.Where(r => r.Kind == ReferenceKind.Constraint))
        {
            if (!kinds.TryGetValue(r.Id, out var kind) || !IsResourceKind(kind))
            {
                if (!r.RoleOnly)
                {
                    Error(r.At, $"{r.Owner} refers to '{r.Id}', which is not defined (expected a primitive, group or clone)");
                }

                continue;
            }

            if (!r.RoleOnly && cloneChildren.TryGetValue(r.Id, out var cloneId))
            {
                Warn(r.At, $"{r.Owner} refers to '{r.Id}', which is inside clone '{cloneId}'; constraints should name the clone");
            }

            if (r.Role is ResourceRole.Promoted or ResourceRole.Unpromoted && !IsPromotable(r.Id))
            {
                Warn(r.At, $"{r.Owner} uses role {ResourceRoles.Name(r.Role.Value)} on '{r.Id}', which is not promotable; that part never matches");
            }

            if (r.Action is ResourceAction.Promote or ResourceAction.Demote && !IsPromotable(r.Id))
            {
                Warn(r.At, $"{r.Owner} orders '{r.Id}:{AttributeRules.ActionName(r.Action.Value)}', but '{r.Id}' is not promotable; that action never happens");
            }
        }

        foreach (var (id, other, at, what) in _selfChecks.Where(s => s.Id == s.Other))
        {
            Error(at, $"{what} names '{id}' on both sides");
        }
    }

    private static bool IsResourceKind(string kind) => kind is "primitive" or "group" or "clone";

    private sealed record PendingReference(string Id, SourcePos At, ReferenceKind Kind, string Owner, ResourceRole? Role, ResourceAction? Action, bool RoleOnly);
}
