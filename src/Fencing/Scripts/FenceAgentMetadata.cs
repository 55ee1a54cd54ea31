using System.Collections.Immutable;
using ClusterD.Agents.Metadata;

namespace ClusterD.Fencing.Scripts;

/// <summary>A fence agent's <c>metadata</c>: the XML as the agent printed it and what was read from it.</summary>
/// <param name="Agent">The agent's name (<c>fence_dummy</c>).</param>
/// <param name="Xml">The document, at most <see cref="FenceScriptOptions.MetadataOutputLimit"/> bytes.</param>
/// <param name="Parsed">Parameters and actions, read leniently (<see cref="AgentMetadataParser"/>).</param>
public sealed record FenceAgentMetadata(string Agent, string Xml, AgentMetadata Parsed)
{
    /// <summary>The parameter names, in document order.</summary>
    public ImmutableArray<string> ParameterNames => [.. Parsed.Parameters.Select(p => p.Name)];

    /// <summary>True when the agent declares <paramref name="action"/> (<c>list</c>, <c>status</c>, ...).</summary>
    public bool Supports(FenceAction action) =>
        Parsed.Actions.Any(a => string.Equals(a.Name, FenceActionNames.ToAgentName(action), StringComparison.Ordinal));
}
