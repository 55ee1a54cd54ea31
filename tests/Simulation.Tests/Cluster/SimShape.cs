using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>The seed's resource shape on node1/node2 with test agents: a promotable clone, a group of three after it, a fence device.</summary>
internal static class SimShape
{
    public const string Clone = "ms_drbd_mysql";
    public const string Drbd = "drbd_mysql";
    public const string Group = "mysql";
    public const string FenceDevice = "fence_sim";
    public const int PromotedMax = 1;

    public static readonly string[] GroupMembers = ["fs_mysql", "mysqld", "probe_port"];

    public const string Crm = """
        primitive fence_sim stonith:fence_dummy params pcmk_host_list="node1 node2"
        primitive drbd_mysql ocf:pacemaker:Stateful \
            op monitor interval=29s role=Promoted \
            op monitor interval=31s role=Unpromoted
        clone ms_drbd_mysql drbd_mysql meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true
        primitive fs_mysql ocf:heartbeat:Dummy op monitor interval=20s
        primitive mysqld ocf:heartbeat:Dummy op monitor interval=10s
        primitive probe_port ocf:heartbeat:Dummy op monitor interval=10s
        group mysql fs_mysql mysqld probe_port
        colocation mysql_on_drbd inf: mysql ms_drbd_mysql:Promoted
        order mysql_after_drbd Mandatory: ms_drbd_mysql:promote mysql:start
        rsc_defaults resource-stickiness=100 migration-threshold=2
        property stonith-enabled=true priority-fencing-delay=0
        """;

    public static ClusterConfig Config() => CrmParser.Parse(Crm).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };

    /// <summary>The same shape with another <c>resource-stickiness</c> (an operator's edit; the core versions it).</summary>
    public static ClusterConfig Config(string stickiness) =>
        CrmParser.Parse(Crm.Replace("resource-stickiness=100", "resource-stickiness=" + stickiness, StringComparison.Ordinal)).GetConfigOrThrow();

    /// <summary>
    /// Clone instances may run on every node; every other primitive on at most one, except the fence device:
    /// it is a registration with a node's fencer, never probed (the fencer's own), harmless twice.
    /// </summary>
    public static bool MayRunTwice(string resource) => resource is Drbd or FenceDevice;
}
