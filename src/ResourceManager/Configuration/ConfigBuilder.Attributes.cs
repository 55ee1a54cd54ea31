namespace ClusterD.ResourceManager.Configuration;

/// <summary>Attribute lists, operations, cluster properties and defaults, validated as they are read.</summary>
internal sealed partial class ConfigBuilder
{
    private readonly Dictionary<string, (string Value, SourcePos At)> _properties = new(StringComparer.Ordinal);
    private readonly List<string> _propertyOrder = [];
    private readonly Dictionary<string, (string Value, SourcePos At)> _resourceDefaults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Value, SourcePos At)> _operationDefaults = new(StringComparer.Ordinal);
    private readonly List<string> _resourceDefaultsOrder = [];
    private readonly List<string> _operationDefaultsOrder = [];

    /// <summary>
    /// Builds a map from one attribute list; a name given twice is an error, and <paramref name="check"/>
    /// (if any) validates each value. <paramref name="rename"/> maps old names to the stored ones.
    /// </summary>
    public AttributeMap Map(IEnumerable<SourceAttribute> attributes, string what, Func<string, string, string?>? check = null, Func<string, string>? rename = null)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var seen = new Dictionary<string, SourcePos>(StringComparer.Ordinal);
        foreach (var a in attributes)
        {
            if (!AttributeRules.IsValidAttributeName(a.Name))
            {
                Error(a.At, $"'{a.Name}' is not a valid attribute name in {what}");
                continue;
            }

            var name = rename?.Invoke(a.Name) ?? a.Name;
            if (seen.TryGetValue(name, out var first))
            {
                Error(a.At, $"'{a.Name}' is set twice in {what} (first at line {first.Line}, column {first.Column})");
                continue;
            }

            if (check?.Invoke(a.Name, a.Value) is { } problem)
            {
                Error(a.ValueAt, problem);
                continue;
            }

            seen[name] = a.At;
            pairs.Add(KeyValuePair.Create(name, a.Value));
        }

        return AttributeMap.Create(pairs);
    }

    /// <summary>A clone's meta: <c>promotable</c> is taken out (returned), old names are renamed.</summary>
    public (AttributeMap Meta, bool Promotable) CloneMeta(IEnumerable<SourceAttribute> attributes, string what)
    {
        var meta = Map(attributes, what, AttributeRules.CheckResourceMeta, AttributeRules.NormalizeCloneMetaName);
        var promotable = meta.GetBool(MetaNames.Promotable) ?? false;
        return (meta.Remove(MetaNames.Promotable), promotable);
    }

    /// <summary>Builds an operation; interval, timeout, role and on-fail are typed, the rest kept as attributes.</summary>
    public Operation? Operation(string name, SourcePos at, IEnumerable<SourceAttribute> attributes, string what)
    {
        if (!AttributeRules.IsValidAttributeName(name))
        {
            Error(at, $"'{name}' is not a valid operation name in {what}");
            return null;
        }

        if (!Configuration.Operation.KnownNames.Contains(name))
        {
            Warn(at, $"operation '{name}' in {what} is not one clusterd schedules (start, stop, monitor, promote, demote, notify, ...)");
        }

        var errorsBefore = _errors.Count;
        var map = Map(attributes.Where(a => a.Name is not ("id" or "name")), $"op {name} of {what}", AttributeRules.CheckOperationAttribute);
        if (_errors.Count > errorsBefore)
        {
            return null;
        }

        return new Operation(
            name,
            map.GetDuration("interval") ?? Duration.Zero,
            map.GetDuration("timeout"),
            map.GetRole("role"),
            map.TryGetValue("on-fail", out var onFail) && AttributeRules.TryParseOnFail(onFail, out var policy) ? policy : null,
            map.Remove("interval").Remove("timeout").Remove("role").Remove("on-fail"));
    }

    /// <summary>One cluster option; set again later, the later value wins with a warning.</summary>
    public void Property(SourceAttribute a)
    {
        var name = a.Name == PropertyNames.FencingEnabled ? PropertyNames.StonithEnabled : a.Name;
        var problem = name switch
        {
            PropertyNames.StonithEnabled or PropertyNames.SymmetricCluster or PropertyNames.MaintenanceMode =>
                AttributeValues.TryParseBool(a.Value, out _) ? null : $"{a.Name} '{a.Value}' is not a boolean (true/false, yes/no, on/off, 1/0)",
            PropertyNames.NoQuorumPolicy => AttributeRules.TryParseNoQuorumPolicy(a.Value, out _)
                ? null : $"no-quorum-policy '{a.Value}' is not one of stop, freeze, ignore, demote",
            PropertyNames.PriorityFencingDelay => Duration.TryParse(a.Value, out _)
                ? null : $"priority-fencing-delay '{a.Value}' is not a duration (e.g. 15s)",
            _ => AttributeRules.IsValidAttributeName(a.Name) ? null : $"'{a.Name}' is not a valid property name",
        };
        if (problem is not null)
        {
            Error(problem.StartsWith('\'') ? a.At : a.ValueAt, problem);
            return;
        }

        if (name is not (PropertyNames.StonithEnabled or PropertyNames.SymmetricCluster or PropertyNames.MaintenanceMode
            or PropertyNames.NoQuorumPolicy or PropertyNames.PriorityFencingDelay) && !PropertyNames.OtherKnown.Contains(name))
        {
            Warn(a.At, $"unknown cluster property '{a.Name}': kept, but clusterd does not use it");
        }

        Set(_properties, name, a, "property", _propertyOrder);
    }

    public void ResourceDefault(SourceAttribute a)
    {
        if (Check(a, AttributeRules.CheckResourceMeta))
        {
            Set(_resourceDefaults, a.Name, a, "rsc_defaults", _resourceDefaultsOrder);
        }
    }

    public void OperationDefault(SourceAttribute a)
    {
        if (Check(a, AttributeRules.CheckOperationAttribute))
        {
            Set(_operationDefaults, a.Name, a, "op_defaults", _operationDefaultsOrder);
        }
    }

    private bool Check(SourceAttribute a, Func<string, string, string?> check)
    {
        if (!AttributeRules.IsValidAttributeName(a.Name))
        {
            Error(a.At, $"'{a.Name}' is not a valid attribute name");
            return false;
        }

        if (check(a.Name, a.Value) is { } problem)
        {
            Error(a.ValueAt, problem);
            return false;
        }

        return true;
    }

    private void Set(Dictionary<string, (string Value, SourcePos At)> into, string name, SourceAttribute a, string what, List<string> order)
    {
        if (into.TryGetValue(name, out var first))
        {
            Warn(a.At, $"{what} '{name}' is set again (first at line {first.At.Line}); the later value '{a.Value}' wins");
        }
        else
        {
            order.Add(name);
        }

        into[name] = (a.Value, a.At);
    }

    private AttributeMap ResourceDefaultsMap() =>
        AttributeMap.Create(_resourceDefaultsOrder.Select(n => KeyValuePair.Create(n, _resourceDefaults[n].Value)));

    private AttributeMap OperationDefaultsMap() =>
        AttributeMap.Create(_operationDefaultsOrder.Select(n => KeyValuePair.Create(n, _operationDefaults[n].Value)));

    private ClusterProperties BuildProperties()
    {
        string? Get(string name) => _properties.TryGetValue(name, out var v) ? v.Value : null;
        var typed = new[]
        {
            PropertyNames.StonithEnabled, PropertyNames.NoQuorumPolicy, PropertyNames.SymmetricCluster,
            PropertyNames.MaintenanceMode, PropertyNames.PriorityFencingDelay,
        };
        return new ClusterProperties(
            Get(PropertyNames.StonithEnabled) is { } se && AttributeValues.TryParseBool(se, out var stonith) ? stonith : null,
            Get(PropertyNames.NoQuorumPolicy) is { } nq && AttributeRules.TryParseNoQuorumPolicy(nq, out var policy) ? policy : null,
            Get(PropertyNames.SymmetricCluster) is { } sc && AttributeValues.TryParseBool(sc, out var symmetric) ? symmetric : null,
            Get(PropertyNames.MaintenanceMode) is { } mm && AttributeValues.TryParseBool(mm, out var maintenance) ? maintenance : null,
            Get(PropertyNames.PriorityFencingDelay) is { } pd && Duration.TryParse(pd, out var delay) ? delay : null,
            AttributeMap.Create(_propertyOrder.Where(n => !typed.Contains(n)).Select(n => KeyValuePair.Create(n, _properties[n].Value))));
    }
}
