using System.Globalization;

namespace ClusterD.TestKit.Resources;

/// <summary>
/// The seed's resource shape with agents any machine has: a promotable Stateful clone in DRBD's place, a
/// group of three Dummy primitives colocated with and ordered after its Promoted instance, stickiness 100,
/// migration-threshold 2 and a fence device. One text for the simulations, the process tests and the benchmarks.
/// </summary>
public static class SeedShape
{
    public const string Clone = "ms_drbd_mysql";
    public const string Drbd = "drbd_mysql";
    public const string Group = "mysql";

    public static readonly string[] GroupMembers = ["fs_mysql", "mysqld", "probe_port"];

    /// <summary>The seed's monitor intervals, in seconds.</summary>
    public static readonly MonitorIntervals SeedMonitors = new(29, 31, 20, 10, 10);

    /// <summary>Shorter ones, for process tests that wait for a monitor to notice something.</summary>
    public static readonly MonitorIntervals QuickMonitors = new(3, 4, 2, 2, 2);

    /// <summary>
    /// The configuration in crm syntax. <paramref name="fencingDelay"/> null leaves <c>priority-fencing-delay</c>
    /// unset (its default); <paramref name="monitors"/> null means <see cref="SeedMonitors"/>.
    /// </summary>
    public static string Crm(
        string fenceDevice = "fence_test", string fenceAgent = "fence_dummy", string nodes = "node1 node2",
        string? fencingDelay = "0", MonitorIntervals? monitors = null)
    {
        var m = monitors ?? SeedMonitors;
        static string Every(int seconds) => seconds.ToString(CultureInfo.InvariantCulture) + "s";
        var delay = fencingDelay is null ? "" : " priority-fencing-delay=" + fencingDelay;
        return $"""
            primitive {fenceDevice} stonith:{fenceAgent} params pcmk_host_list="{nodes}"
            primitive drbd_mysql ocf:pacemaker:Stateful \
                op monitor interval={Every(m.Promoted)} role=Promoted \
                op monitor interval={Every(m.Unpromoted)} role=Unpromoted
            clone ms_drbd_mysql drbd_mysql meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true
            primitive fs_mysql ocf:heartbeat:Dummy op monitor interval={Every(m.Filesystem)}
            primitive mysqld ocf:heartbeat:Dummy op monitor interval={Every(m.Mysqld)}
            primitive probe_port ocf:heartbeat:Dummy op monitor interval={Every(m.ProbePort)}
            group mysql fs_mysql mysqld probe_port
            colocation mysql_on_drbd inf: mysql ms_drbd_mysql:Promoted
            order mysql_after_drbd Mandatory: ms_drbd_mysql:promote mysql:start
            rsc_defaults resource-stickiness=100 migration-threshold=2
            property stonith-enabled=true{delay}
            """;
    }
}

/// <summary>Monitor intervals of the seed's shape, in seconds: the clone's per role, then the group's members.</summary>
public sealed record MonitorIntervals(int Promoted, int Unpromoted, int Filesystem, int Mysqld, int ProbePort);
