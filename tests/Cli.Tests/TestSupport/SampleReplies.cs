using ClusterD.Admin.V1;
using Google.Protobuf.WellKnownTypes;

namespace ClusterD.Cli.Tests.TestSupport;

/// <summary>Hand-built daemon answers covering every field the CLI renders.</summary>
internal static class SampleReplies
{
    /// <summary>
    /// Four nodes seen from node1: node1 (local, online), node2 (online, standby, one live link and
    /// one never heard), node3 (lost and unclean), node4 (cleanly left). One promotable resource.
    /// </summary>
    public static ClusterStatusReply FourNodes(bool quorate = true, string dc = "node1")
    {
        var reply = new ClusterStatusReply
        {
            Cluster = "mysql-ha",
            Quorate = quorate,
            Dc = dc,
            RingId = "1.1f",
            RingSeq = 31,
            LocalNode = "node1",
            Quorum = new QuorumStatus
            {
                ExpectedVotes = 4,
                TotalVotes = 2,
                Quorum = 3,
                TwoNode = false,
                WaitForAll = true,
                WaitForAllSatisfied = true,
            },
            Datagrams = new DatagramCounters { Accepted = 1200, Dropped = 5 },
        };
        reply.Datagrams.DroppedByReason.Add("replay", 2);
        reply.Datagrams.DroppedByReason.Add("bad_hmac", 3);

        reply.Nodes.Add(new NodeStatus
        {
            Name = "node1",
            Id = 1,
            Online = true,
            Local = true,
            State = "member",
            Incarnation = 7,
        });

        var node2 = new NodeStatus { Name = "node2", Id = 2, Online = true, Standby = true, State = "member", Incarnation = 3 };
        node2.Links.Add(new LinkStatus
        {
            Link = 0,
            Address = "10.0.0.2:5405",
            Up = true,
            LastSeenMsAgo = 120,
            RttMs = 0.42,
            Received = 1000,
            Lost = 4,
        });
        node2.Links.Add(new LinkStatus
        {
            Link = 1,
            Address = "10.1.0.2:5405",
            Up = false,
            LastSeenMsAgo = -1,
            RttMs = 0,
            Received = 0,
            Lost = 0,
        });
        reply.Nodes.Add(node2);

        reply.Nodes.Add(new NodeStatus { Name = "node3", Id = 3, Online = false, Unclean = true, State = "lost", Incarnation = 2 });
        reply.Nodes.Add(new NodeStatus { Name = "node4", Id = 4, Online = false, State = "left", Incarnation = 1 });

        var drbd = new ResourceStatus { Id = "drbd_mysql", Agent = "ocf:linbit:drbd" };
        drbd.Instances.Add(new ResourceInstance { Node = "node1", Role = "Promoted" });
        drbd.Instances.Add(new ResourceInstance { Node = "node2", Role = "Unpromoted" });
        reply.Resources.Add(drbd);
        return reply;
    }

    /// <summary>
    /// Two nodes with the controller's view: the seed's DRBD clone promoted on node1, the MySQL group started
    /// there with mysqld failed on node2, fencing disabled (the scheduler's warning), one fence done and one pending.
    /// </summary>
    public static ClusterStatusReply WithController()
    {
        var at = new DateTimeOffset(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);
        var reply = new ClusterStatusReply
        {
            Cluster = "mysql-ha",
            Quorate = true,
            Dc = "node1",
            RingId = "1.4",
            RingSeq = 4,
            LocalNode = "node1",
            IsDc = true,
            Quorum = new QuorumStatus { ExpectedVotes = 2, TotalVotes = 2, Quorum = 1, TwoNode = true },
            Datagrams = new DatagramCounters(),
            Warnings = { "stonith-enabled=false: a lost node is assumed to be down without fencing it; split brain is possible" },
        };
        reply.Nodes.Add(new NodeStatus { Name = "node1", Id = 1, Online = true, Local = true, State = "member" });
        reply.Nodes.Add(new NodeStatus { Name = "node2", Id = 2, Online = true, State = "member" });
        var drbd = new ResourceStatus { Id = "drbd_mysql", Agent = "ocf:linbit:drbd", CloneId = "ms_drbd_mysql", Promotable = true };
        drbd.Instances.Add(new ResourceInstance { Node = "node1", Role = "Promoted" });
        drbd.Instances.Add(new ResourceInstance { Node = "node2", Role = "Unpromoted" });
        var fs = new ResourceStatus { Id = "fs_mysql", Agent = "ocf:heartbeat:Filesystem", GroupId = "g_mysql" };
        fs.Instances.Add(new ResourceInstance { Node = "node1", Role = "Started" });
        var mysqld = new ResourceStatus { Id = "mysqld", Agent = "lsb:mysql", GroupId = "g_mysql" };
        mysqld.Instances.Add(new ResourceInstance { Node = "node2", Role = "Failed" });
        reply.Resources.Add(drbd);
        reply.Resources.Add(fs);
        reply.Resources.Add(mysqld);
        reply.Failcounts.Add(new FailcountStatus { Resource = "mysqld", Node = "node2", Count = 1_000_000, LastFailure = Timestamp.FromDateTimeOffset(at) });
        reply.FailedActions.Add(new FailedAction
        {
            Time = Timestamp.FromDateTimeOffset(at),
            Resource = "mysqld",
            Node = "node2",
            Action = "start",
            Message = "not installed",
            DurationMs = 250,
        });
        reply.PendingActions.Add(new PendingAction { Resource = "fs_mysql", Node = "node1", Action = "monitor", IntervalMs = 20_000 });
        reply.Watchdog = new WatchdogStatus
        {
            Device = "/dev/watchdog",
            TimeoutMs = 5000,
            Armed = true,
            LastFeed = Timestamp.FromDateTimeOffset(at),
            Detail = "character device, timeout 5 s",
        };
        reply.ScheduledEventsState = "polling http://169.254.169.254/metadata/scheduledevents every 2 s: 1 events";
        var freeze = new ScheduledEventStatus
        {
            EventId = "ev-1",
            Type = "Freeze",
            Status = "Scheduled",
            NotBefore = Timestamp.FromDateTimeOffset(at.AddMinutes(15)),
            Decision = "failure detection of the frozen peer extended for the announced window",
            CoveredUntil = Timestamp.FromDateTimeOffset(at.AddMinutes(15).AddSeconds(9)),
        };
        freeze.Nodes.Add("node2");
        reply.ScheduledEvents.Add(freeze);
        reply.Fencing.Add(new FenceRecordStatus
        {
            Target = "node2",
            Action = "off",
            Device = "fence_azure",
            RequestedBy = "node1",
            Result = "succeeded",
            Reason = "node2 is unclean",
            Requested = Timestamp.FromDateTimeOffset(at),
            Completed = Timestamp.FromDateTimeOffset(at.AddSeconds(12)),
        });
        reply.Fencing.Add(new FenceRecordStatus
        {
            Target = "node2",
            Action = "off",
            RequestedBy = "node1",
            Result = "pending",
            Requested = Timestamp.FromDateTimeOffset(at.AddMinutes(5)),
        });
        return reply;
    }

    public static ClusterEvent FailoverEvent() => new()
    {
        Time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 27, 6, 0, 3, 500, TimeSpan.Zero)),
        Kind = EventKind.FailoverCompleted,
        Message = "failover of ms_drbd_mysql to node2 completed",
        Node = "node2",
        Resource = "ms_drbd_mysql",
        Succeeded = true,
        DurationMs = 3250,
        Phases = { new EventPhase { Name = "detection", DurationMs = 1000 }, new EventPhase { Name = "promote", DurationMs = 850 } },
    };

    /// <summary>A daemon that just started: no view, no DC, no resources, no counters.</summary>
    public static ClusterStatusReply Empty() => new() { Cluster = "mysql-ha", LocalNode = "node1" };

    public static ClusterEvent MembershipEvent() => new()
    {
        Time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 31, 12, 0, 0, 250, TimeSpan.Zero)),
        Kind = EventKind.Membership,
        Message = "node2 joined",
        RingId = "1.20",
        Members = { "node1", "node2" },
        Joined = { "node2" },
        Quorate = true,
        Dc = "node1",
    };
}
