using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// One node as the cluster sees it now. <see cref="Unclean"/> means it was lost without leaving
/// cleanly and must be fenced before its resources are recovered. <see cref="Attributes"/> are the
/// transient node attributes (promotion scores <c>master-RSC</c>, health, ...); permanent attributes
/// live in the configuration's <see cref="NodeDefinition"/>. Fail counts are in <see cref="ClusterStatus.Failcounts"/>.
/// </summary>
public sealed record NodeStatus(
    string Name,
    string? Id = null,
    bool Online = false,
    bool Standby = false,
    bool Unclean = false,
    AttributeMap Attributes = default)
{
    /// <summary>The promotion score an agent set for a promotable primitive here (Pacemaker's <c>master-RSC</c> attribute).</summary>
    public Score? PromotionScore(string primitiveId) => Attributes.GetScore(PromotionAttribute(primitiveId));

    /// <summary>The node attribute name holding a primitive's promotion score.</summary>
    public static string PromotionAttribute(string primitiveId) => "master-" + primitiveId;
}
