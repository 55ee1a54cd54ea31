namespace ClusterD.Agents.Metadata;

/// <summary>One <c>&lt;action&gt;</c> of an agent's meta-data, with the suggested timings.</summary>
/// <param name="Name">The action name as written (<c>start</c>, <c>monitor</c>, <c>reload-agent</c>, ...).</param>
public sealed record MetadataAction(string Name)
{
    /// <summary>The suggested timeout, when given and readable.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The suggested interval of a recurring monitor.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The monitor depth (<c>OCF_CHECK_LEVEL</c>).</summary>
    public int? Depth { get; init; }

    /// <summary>The role a monitor applies to (<c>Promoted</c>, <c>Unpromoted</c>, or the old Master/Slave).</summary>
    public string? Role { get; init; }
}
