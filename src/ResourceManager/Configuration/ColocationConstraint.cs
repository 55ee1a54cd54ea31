namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// <c>colocation ID SCORE: RSC[:ROLE] WITH-RSC[:ROLE]</c>: place <see cref="Resource"/> (in
/// <see cref="ResourceRole"/>, if given) relative to where <see cref="WithResource"/> (in
/// <see cref="WithResourceRole"/>) is. INFINITY means "only there", -INFINITY "never there".
/// <see cref="NodeAttribute"/> widens "same node" to "same value of this node attribute".
/// </summary>
public sealed record ColocationConstraint(
    string Id,
    Score Score,
    string Resource,
    string WithResource,
    ResourceRole? ResourceRole = null,
    ResourceRole? WithResourceRole = null,
    string? NodeAttribute = null);
