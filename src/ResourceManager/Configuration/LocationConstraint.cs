namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// <c>location ID RSC [role=ROLE] SCORE: NODE</c> or <c>location ID RSC rule ...</c>: either a score for
/// one <see cref="Node"/> (then <see cref="Rules"/> is empty) or rules, each with its own score, that
/// apply to every node whose attributes match (then <see cref="Node"/> is null and <see cref="Score"/> is 0).
/// </summary>
public sealed record LocationConstraint(
    string Id,
    string Resource,
    Score Score = default,
    string? Node = null,
    EquatableArray<LocationRule> Rules = default,
    ResourceRole? Role = null,
    ResourceDiscovery? ResourceDiscovery = null)
{
    public bool HasRules => !Rules.IsEmpty;
}
