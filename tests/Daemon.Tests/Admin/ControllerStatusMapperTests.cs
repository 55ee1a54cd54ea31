using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using ClusterD.Controller.Runtime;
using ClusterD.Daemon.Admin;
using ClusterD.Fencing;
using ClusterD.Fencing.History;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;
using ClusterStatusReply = ClusterD.Admin.V1.ClusterStatusReply;
using NodeStatus = ClusterD.Admin.V1.NodeStatus;
using ResourceInstance = ClusterD.ResourceManager.Status.ResourceInstance;
using ResourceStatus = ClusterD.ResourceManager.Status.ResourceStatus;

namespace ClusterD.Daemon.Tests.Admin;

public sealed class ControllerStatusMapperTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);

    private static readonly ClusterConfig Config = CrmParser.Parse("""
        node node1
        node node2 attributes standby=on
        primitive drbd_mysql ocf:linbit:drbd params drbd_resource=r0 op monitor interval=29s role=Promoted op monitor interval=31s role=Unpromoted
        primitive fs_mysql ocf:heartbeat:Filesystem params device=/dev/drbd0 directory=/var/lib/mysql fstype=ext3
        primitive mysqld lsb:mysql
        group g_mysql fs_mysql mysqld
        ms ms_drbd_mysql drbd_mysql meta promoted-max=1 notify=true
        property stonith-enabled=false maintenance-mode=true
        """, "cluster.crm").GetConfigOrThrow();

    private static readonly ClusterStatus Status = new()
    {
        Resources =
        [
            new ResourceStatus("drbd_mysql", "ocf:linbit:drbd", [new ResourceInstance("node1", InstanceRole.Promoted), new ResourceInstance("node2", InstanceRole.Unpromoted)]),
            new ResourceStatus("fs_mysql", "ocf:heartbeat:Filesystem", [new ResourceInstance("node1", InstanceRole.Started)]),
            new ResourceStatus("old_ip", "ocf:heartbeat:IPaddr2", [new ResourceInstance("node2", InstanceRole.Failed)]),
        ],
        Nodes = [new ClusterD.ResourceManager.Status.NodeStatus("node1", Online: true), new ClusterD.ResourceManager.Status.NodeStatus("node2", Online: false, Unclean: true)],
        Failcounts = [new Failcount("mysqld", "node2", Score.Infinity, At), new Failcount("fs_mysql", "node1", new Score(2))],
        Operations =
        [
            new OperationRecord("mysqld", "node1", "start", default, 0, 12, OpStatus: -1),
            new OperationRecord("fs_mysql", "node1", "monitor", Duration.FromSeconds(20), 0, 11),
        ],
    };

    [Fact]
    public void Fill_Resources_PerPrimitiveWithGroupCloneAndRolesThenUnconfigured()
    {
        var reply = Fill();

        Assert.Equal(["fs_mysql", "mysqld", "drbd_mysql", "old_ip"], reply.Resources.Select(r => r.Id));
        var drbd = reply.Resources[2];
        Assert.Equal(("ocf:linbit:drbd", "", "ms_drbd_mysql", true), (drbd.Agent, drbd.GroupId, drbd.CloneId, drbd.Promotable));
        Assert.Equal(["node1:Promoted", "node2:Unpromoted"], drbd.Instances.Select(i => $"{i.Node}:{i.Role}"));
        Assert.Equal(("g_mysql", "", false), (reply.Resources[0].GroupId, reply.Resources[0].CloneId, reply.Resources[0].Promotable));
        Assert.Equal(["node1:Started"], reply.Resources[0].Instances.Select(i => $"{i.Node}:{i.Role}"));
        Assert.Equal("g_mysql", reply.Resources[1].GroupId);
        Assert.Empty(reply.Resources[1].Instances);
        Assert.Equal(("old_ip", "ocf:heartbeat:IPaddr2", "node2:Failed"), (reply.Resources[3].Id, reply.Resources[3].Agent, $"{reply.Resources[3].Instances[0].Node}:{reply.Resources[3].Instances[0].Role}"));
    }

    [Fact]
    public void Fill_Nodes_StandbyFromTheConfigurationUncleanFromEither()
    {
        var reply = Fill();

        Assert.Equal([false, true], reply.Nodes.Select(n => n.Standby));
        Assert.Equal([false, true], reply.Nodes.Select(n => n.Unclean));
    }

    [Fact]
    public void Fill_FailuresPendingWarningsAndFlags_FromTheSnapshot()
    {
        var reply = Fill();

        Assert.Equal(["stonith-enabled=false: split brain is possible"], reply.Warnings);
        Assert.True(reply.IsDc);
        Assert.True(reply.MaintenanceMode);
        Assert.Equal(["mysqld@node2=1000000", "fs_mysql@node1=2"], reply.Failcounts.Select(f => $"{f.Resource}@{f.Node}={f.Count}"));
        Assert.Equal(At, reply.Failcounts[0].LastFailure.ToDateTimeOffset());
        Assert.Null(reply.Failcounts[1].LastFailure);
        var pending = Assert.Single(reply.PendingActions);
        Assert.Equal(("mysqld", "node1", "start", 0L), (pending.Resource, pending.Node, pending.Action, pending.IntervalMs));
        var failed = Assert.Single(reply.FailedActions);
        Assert.Equal(("mysqld", "node2", "start", "start mysqld on node2: not installed", 250L), (failed.Resource, failed.Node, failed.Action, failed.Message, failed.DurationMs));
    }

    [Fact]
    public void Fill_FenceHistory_TargetDeviceResultAndTimes()
    {
        var reply = Fill();

        Assert.Equal(2, reply.Fencing.Count);
        var done = reply.Fencing[0];
        Assert.Equal(("node2", "fence_azure", "node1", "off", "succeeded", "node2 is unclean", ""), (done.Target, done.Device, done.RequestedBy, done.Action, done.Result, done.Reason, done.Detail));
        Assert.Equal((At, At.AddSeconds(12)), (done.Requested.ToDateTimeOffset(), done.Completed.ToDateTimeOffset()));
        Assert.Equal(("pending", "", null), (reply.Fencing[1].Result, reply.Fencing[1].Device, reply.Fencing[1].Completed));
    }

    private static ClusterStatusReply Fill()
    {
        var reply = new ClusterStatusReply();
        reply.Nodes.Add(new NodeStatus { Name = "node1", Online = true, State = "member" });
        reply.Nodes.Add(new NodeStatus { Name = "node2", State = "lost" });
        var failed = new ControllerEvent(At, ControllerEventKind.ActionFinished, "start mysqld on node2: not installed", "node2", "mysqld", "start", 3, false, TimeSpan.FromMilliseconds(250));
        var snapshot = new ControllerSnapshot(Status, Config, IsDc: true, ["stonith-enabled=false: split brain is possible"], [], [failed]);
        FenceHistoryEntry[] fencing =
        [
            new(1, "node2", "node1", FenceAction.Off, FenceHistoryResult.Succeeded, "node2 is unclean", At) { Device = "fence_azure", Completed = At.AddSeconds(12) },
            new(2, "node2", "node1", FenceAction.Off, FenceHistoryResult.Pending, "node2 is unclean", At.AddSeconds(30)),
        ];
        ControllerStatusMapper.Fill(reply, snapshot, fencing);
        return reply;
    }
}
