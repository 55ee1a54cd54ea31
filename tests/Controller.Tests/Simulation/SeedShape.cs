using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Tests.Simulation;

/// <summary>The seed's resource shape with test agents: a promotable clone, a group of three after it, a fence device.</summary>
internal static class SeedShape
{
    public const string Crm = """
        primitive fence_test stonith:fence_dummy params pcmk_host_list="hadb01 hadb02"
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

    public static ClusterConfig Config(string crm = Crm) => CrmParser.Parse(crm).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };
}
