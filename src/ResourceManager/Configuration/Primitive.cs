namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// One resource run by one agent: <c>primitive ID class:provider:type params ... meta ... op ...</c>.
/// <see cref="Params"/> become the agent's instance attributes (<c>OCF_RESKEY_*</c>).
/// </summary>
public sealed record Primitive(
    string Id,
    AgentSpec Agent,
    AttributeMap Params = default,
    AttributeMap Meta = default,
    EquatableArray<Operation> Operations = default,
    AttributeMap Utilization = default,
    string? Description = null)
    : ResourceDefinition(Id, Meta, Description)
{
    /// <summary>The recurring operations (interval &gt; 0), e.g. the monitors.</summary>
    public IEnumerable<Operation> RecurringOperations => Operations.Where(o => o.Interval > Duration.Zero);

    /// <summary>The configured operation for an action name and interval, if any.</summary>
    public Operation? FindOperation(string name, Duration interval = default) =>
        Operations.FirstOrDefault(o => o.Name == name && o.Interval == interval);
}
