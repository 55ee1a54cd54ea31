using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// One node as the cluster sees it now. <see cref="Unclean"/> means it was lost without leaving
/// cleanly and must be fenced before its resources are recovered. <see cref="Pending"/> means it is up
/// (in the membership, controller running) but has not joined yet: nothing can be run or stopped there,
/// and what its history shows active is still active (see docs/scheduler.md, "Pending nodes"); such a
/// node is not <see cref="Online"/>, so a reader that does not know the flag keeps it offline. <see cref="Attributes"/> are the
/// transient node attributes (promotion scores <c>master-RSC</c>, health, ...); permanent attributes
/// live in the configuration's <see cref="NodeDefinition"/>. Fail counts are in <see cref="ClusterStatus.Failcounts"/>.
/// </summary>
public sealed record NodeStatus(
    string Name,
    string? Id = null,
    bool Online = false,
    bool Standby = false,
    bool Unclean = false,
    AttributeMap Attributes = default,
    bool Pending = false)
{
    /// <summary>The promotion score an agent set for a promotable primitive here (Pacemaker's <c>master-RSC</c> attribute).</summary>
    public Score? PromotionScore(string primitiveId) => Attributes.GetScore(PromotionAttribute(primitiveId));

    /// <summary>The node attribute name holding a primitive's promotion score.</summary>
    public static string PromotionAttribute(string primitiveId) => "master-" + primitiveId;
}
