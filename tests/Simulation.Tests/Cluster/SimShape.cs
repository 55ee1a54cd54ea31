using ClusterD.ResourceManager.Configuration;
using ClusterD.TestKit.Resources;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>The seed's resource shape on node1/node2 with test agents: a promotable clone, a group of three after it, a fence device.</summary>
internal static class SimShape
{
    public const string Clone = SeedShape.Clone;
    public const string Drbd = SeedShape.Drbd;
    public const string Group = SeedShape.Group;
    public const string FenceDevice = "fence_sim";
    public const int PromotedMax = 1;

    public static readonly string[] GroupMembers = SeedShape.GroupMembers;

    public static readonly string Crm = SeedShape.Crm(fenceDevice: FenceDevice);

    public static ClusterConfig Config() => CrmParser.Parse(Crm).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };

    /// <summary>The shape with <c>priority-fencing-delay</c> not set: its default (15 s), for the fence race.</summary>
    public static ClusterConfig ConfigWithDefaultDelay() =>
        CrmParser.Parse(SeedShape.Crm(fenceDevice: FenceDevice, fencingDelay: null)).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };

    /// <summary>The same shape with another <c>resource-stickiness</c> (an operator's edit; the core versions it).</summary>
    public static ClusterConfig Config(string stickiness) =>
        CrmParser.Parse(Crm.Replace("resource-stickiness=100", "resource-stickiness=" + stickiness, StringComparison.Ordinal)).GetConfigOrThrow();

    /// <summary>
    /// Clone instances may run on every node; every other primitive on at most one, except the fence device:
    /// it is a registration with a node's fencer, never probed (the fencer's own), harmless twice.
    /// </summary>
    public static bool MayRunTwice(string resource) => resource is Drbd or FenceDevice;
}
