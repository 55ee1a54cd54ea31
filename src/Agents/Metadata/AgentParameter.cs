using System.Collections.Immutable;

namespace ClusterD.Agents.Metadata;

/// <summary>One <c>&lt;parameter&gt;</c> of an agent's meta-data.</summary>
/// <param name="Name">The name, passed as <c>OCF_RESKEY_name</c>.</param>
/// <param name="Type">The <c>content type</c>: <c>string</c>, <c>integer</c>, <c>boolean</c>, <c>select</c>, ... (<c>string</c> when absent).</param>
public sealed record AgentParameter(string Name, string Type)
{
    /// <summary>The agent cannot work without it.</summary>
    public bool Required { get; init; }

    /// <summary>No two resources of this agent may share the value.</summary>
    public bool Unique { get; init; }

    /// <summary>Marked deprecated (OCF 1.1 <c>&lt;deprecated/&gt;</c> or the older <c>deprecated="1"</c>).</summary>
    public bool Deprecated { get; init; }

    /// <summary>The declared default, as written (it may contain shell syntax such as <c>${HA_RSCTMP}</c>).</summary>
    public string? Default { get; init; }

    /// <summary>One line about the parameter.</summary>
    public string? ShortDescription { get; init; }

    /// <summary>For <c>select</c>: the allowed values.</summary>
    public ImmutableArray<string> Options { get; init; } = [];
}
