using System.Collections.Immutable;

namespace ClusterD.Agents.Metadata;

/// <summary>
/// An agent's self-description from its <c>meta-data</c> XML (OCF 1.1 <c>ra-api.rng</c>):
/// parameters and actions with their default timeouts. <see cref="Warnings"/> lists what the
/// lenient parser skipped or guessed; odd content never makes the agent unusable.
/// </summary>
public sealed record AgentMetadata(string Name)
{
    /// <summary>The agent's own version string, if it gave one.</summary>
    public string? Version { get; init; }

    /// <summary>One line about the agent (English preferred).</summary>
    public string? ShortDescription { get; init; }

    /// <summary>The parameters, in document order, names unique.</summary>
    public ImmutableArray<AgentParameter> Parameters { get; init; } = [];

    /// <summary>The actions the agent declares, in document order (monitor may appear once per role or depth).</summary>
    public ImmutableArray<MetadataAction> Actions { get; init; } = [];

    /// <summary>What was odd about the document.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>The parameter called <paramref name="name"/>, or null.</summary>
    public AgentParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>The declared timeout of the first action called <paramref name="action"/>, or null.</summary>
    public TimeSpan? DefaultTimeout(AgentAction action) =>
        Actions.FirstOrDefault(a => a.Name == action.ToOcfName())?.Timeout;
}
