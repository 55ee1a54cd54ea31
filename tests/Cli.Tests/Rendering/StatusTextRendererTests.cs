using ClusterD.Cli.Rendering;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Rendering;

public sealed class StatusTextRendererTests
{
    [Fact]
    public void Render_Quorate_ShowsDcWithQuorum()
    {
        var text = Render(SampleReplies.FourNodes(quorate: true));

        Assert.Contains("Cluster name: mysql-ha", text, StringComparison.Ordinal);
        Assert.Contains("Current DC: node1 - partition with quorum", text, StringComparison.Ordinal);
        Assert.Contains("Ring id: 1.1f (seq 31)", text, StringComparison.Ordinal);
        Assert.Contains("4 nodes configured", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NotQuorateWithoutDc_ShowsNoneWithoutQuorum()
    {
        var text = Render(SampleReplies.FourNodes(quorate: false, dc: ""));

        Assert.Contains("Current DC: NONE - partition WITHOUT quorum", text, StringComparison.Ordinal);
        Assert.DoesNotContain("partition with quorum", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MixedNodes_ListsOnlineOfflineStandbyAndUnclean()
    {
        var lines = Lines(Render(SampleReplies.FourNodes()));

        Assert.Contains("  * Online: [ node1 ]", lines);
        Assert.Contains("  * Node node2: standby", lines);
        Assert.Contains("  * Node node3: UNCLEAN (offline)", lines);
        Assert.Contains("  * OFFLINE: [ node4 ]", lines);
    }

    [Fact]
    public void Render_LostNodeNotMarkedUnclean_IsStillShownUnclean()
    {
        var reply = SampleReplies.FourNodes();
        reply.Nodes[2].Unclean = false;

        var lines = Lines(Render(reply));

        Assert.Contains("  * Node node3: UNCLEAN (offline)", lines);
        Assert.Contains("  * OFFLINE: [ node4 ]", lines);
    }

    [Fact]
    public void Render_PeerLinks_OneRowPerPeerLinkAndNoneForTheLocalNode()
    {
        var lines = Lines(Render(SampleReplies.FourNodes()));

        var header = Assert.Single(lines, l => l.Contains("ADDRESS", StringComparison.Ordinal));
        Assert.Equal(["NODE", "LINK", "ADDRESS", "STATUS", "LAST", "SEEN", "RTT", "RECEIVED", "LOST"], Words(header));
        Assert.Equal(["node2", "0", "10.0.0.2:5405", "up", "120", "ms", "ago", "0.42", "ms", "1000", "4"],
            Words(Assert.Single(lines, l => l.Contains("10.0.0.2", StringComparison.Ordinal))));
        Assert.Equal(["node2", "1", "10.1.0.2:5405", "down", "never", "-", "0", "0"],
            Words(Assert.Single(lines, l => l.Contains("10.1.0.2", StringComparison.Ordinal))));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("node1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_DatagramCounters_ShowsTotalsAndReasons()
    {
        var lines = Lines(Render(SampleReplies.FourNodes()));

        Assert.Contains("Heartbeat Datagrams: 1200 accepted, 5 dropped", lines);
        Assert.Contains("  * dropped (bad_hmac): 3", lines);
        Assert.Contains("  * dropped (replay): 2", lines);
    }

    [Fact]
    public void Render_Resources_ListsInstancesWithRoles()
    {
        var lines = Lines(Render(SampleReplies.FourNodes()));

        Assert.Contains("  * drbd_mysql (ocf:linbit:drbd):", lines);
        Assert.Contains("    * Promoted node1", lines);
        Assert.Contains("    * Unpromoted node2", lines);
    }

    [Fact]
    public void Render_FreshDaemon_SaysNoResourcesAndNoView()
    {
        var text = Render(SampleReplies.Empty());

        Assert.Contains("  * No resources", Lines(text));
        Assert.Contains("Ring id: none yet", text, StringComparison.Ordinal);
        Assert.Contains("0 nodes configured", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ControllerView_WarningFirstThenCrmMonSections()
    {
        var text = StatusTextRenderer.Render(StatusView.FromReply(SampleReplies.WithController()));
        var lines = Lines(text);

        Assert.Equal("*** WARNING: stonith-enabled=false: a lost node is assumed to be down without fencing it; split brain is possible ***", lines[0]);
        var resources = lines.SkipWhile(l => l != "Full List of Resources:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(
            [
                "  * Clone Set: ms_drbd_mysql [drbd_mysql] (promotable):",
                "    * Promoted: [ node1 ]",
                "    * Unpromoted: [ node2 ]",
                "  * Resource Group: g_mysql:",
                "    * fs_mysql (ocf:heartbeat:Filesystem): Started node1",
                "    * mysqld (lsb:mysql): Failed node2",
            ],
            resources);
        Assert.Contains("  * fs_mysql monitor (every 20 s) on node1: in progress", lines);
        Assert.Contains("  * mysqld start on node2: not installed (at 2026-11-27 06:00:00Z, took 250 ms)", lines);
        Assert.Contains("    * mysqld: fail-count=INFINITY last-failure='2026-11-27 06:00:00Z'", lines);
        var fencing = lines.SkipWhile(l => l != "Fencing History:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(
            [
                "  * off of node2 pending: origin=node1, requested='2026-11-27 06:05:00Z'",
                "  * off of node2 successful: device=fence_azure, origin=node1, completed='2026-11-27 06:00:12Z' reason: node2 is unclean",
            ],
            fencing);
        Assert.True(Array.IndexOf(lines, "Failed Resource Actions:") < Array.IndexOf(lines, "Fencing History:"));
        Assert.Contains("Watchdog: /dev/watchdog (5 s): armed, last fed 2026-11-27 06:00:00Z", lines);
        Assert.Contains("Scheduled Events: polling http://169.254.169.254/metadata/scheduledevents every 2 s: 1 events", lines);
        Assert.Contains("  * Freeze ev-1 of node2 (Scheduled, not before 2026-11-27 06:15:00Z, detection extended until 2026-11-27 06:15:09Z): "
            + "failure detection of the frozen peer extended for the announced window", lines);
    }

    [Fact]
    public void Render_MaintenanceMode_SaysResourceManagementIsDisabled()
    {
        var reply = SampleReplies.WithController();
        reply.MaintenanceMode = true;
        reply.Warnings.Clear();

        var lines = Lines(StatusTextRenderer.Render(StatusView.FromReply(reply)));

        Assert.Equal("*** Resource management is DISABLED: maintenance-mode is on ***", lines[0]);
        Assert.Contains("  * Maintenance mode: ON (nothing is started, stopped or monitored)", lines);
    }

    [Fact]
    public void Render_StoppedGroupMemberAndStoppedClone_SayStopped()
    {
        var reply = SampleReplies.WithController();
        reply.Resources[0].Instances.Clear();
        reply.Resources[2].Instances.Clear();

        var lines = Lines(StatusTextRenderer.Render(StatusView.FromReply(reply)));

        Assert.Contains("    * Stopped", lines);
        Assert.Contains("    * mysqld (lsb:mysql): Stopped", lines);
    }

    private static string Render(Admin.V1.ClusterStatusReply reply) => StatusTextRenderer.Render(StatusView.FromReply(reply));

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
