using System.Text.Json;
using ClusterD.Cli.Rendering;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Rendering;

/// <summary>The <c>status --json</c> shape is a public contract: exact keys, in order, with their types.</summary>
public sealed class StatusJsonTests
{
    private static readonly string[] TopKeys =
        [
            "cluster", "quorate", "dc", "ringId", "ringSeq", "localNode", "nodes", "resources", "quorum", "datagrams", "messagingRefusedSessions", "messagingRefusals",
            "isDc", "maintenanceMode", "warnings", "failcounts", "failedActions", "fencing", "pendingActions",
            "watchdog", "scheduledEvents", "scheduledEventsState",
        ];

    private static readonly string[] NodeKeys = ["name", "id", "online", "standby", "unclean", "state", "incarnation", "links", "messaging"];

    private static readonly string[] MessagingKeys =
        ["connected", "remoteAddress", "framesIn", "framesOut", "bytesIn", "bytesOut", "reconnects", "queueDepth", "rttMs", "rejects", "lastError", "queuedBytes"];

    private static readonly string[] LinkKeys = ["link", "address", "up", "lastSeenMsAgo", "rttMs", "received", "lost"];

    private static readonly string[] ResourceKeys = ["id", "agent", "instances", "groupId", "cloneId", "promotable"];

    private static readonly string[] InstanceKeys = ["node", "role"];

    private static readonly string[] QuorumKeys =
        ["expectedVotes", "totalVotes", "quorum", "twoNode", "waitForAll", "waitForAllSatisfied"];

    private static readonly string[] DatagramKeys = ["accepted", "dropped", "droppedByReason"];

    [Fact]
    public void Serialize_NodeWithMessagingLink_HasMessagingCountersUnderTheNode()
    {
        var reply = SampleReplies.FourNodes();
        reply.MessagingRefusedSessions = 12;
        reply.MessagingRefusals.Add(new Dictionary<string, long> { ["unconfirmed"] = 2, ["too_many_pending"] = 10 });
        reply.Nodes[1].Messaging = new ClusterD.Admin.V1.MessagingStatus
        {
            Connected = true,
            RemoteAddress = "10.0.0.5:5406",
            FramesIn = 10,
            FramesOut = 11,
            BytesIn = 400,
            BytesOut = 440,
            Reconnects = 2,
            QueueDepth = 3,
            QueuedBytes = 3072,
            RttMs = 0.25,
            Rejects = { ["bad_tag"] = 1 },
        };

        using var doc = JsonDocument.Parse(JsonOutput.Serialize(StatusView.FromReply(reply)));
        var nodes = doc.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        var messaging = nodes[1].GetProperty("messaging");

        Assert.Equal(MessagingKeys, Keys(messaging));
        Assert.Equal(12, doc.RootElement.GetProperty("messagingRefusedSessions").GetInt64());
        Assert.Equal(2, doc.RootElement.GetProperty("messagingRefusals").GetProperty("unconfirmed").GetInt64());
        Assert.Equal(10, doc.RootElement.GetProperty("messagingRefusals").GetProperty("too_many_pending").GetInt64());
        Assert.Equal(3072, messaging.GetProperty("queuedBytes").GetInt64());
        Assert.True(messaging.GetProperty("connected").GetBoolean());
        Assert.Equal(2, messaging.GetProperty("reconnects").GetInt64());
        Assert.Equal(0.25, messaging.GetProperty("rttMs").GetDouble());
        Assert.Equal(1, messaging.GetProperty("rejects").GetProperty("bad_tag").GetInt64());
        Assert.Equal(JsonValueKind.Null, messaging.GetProperty("lastError").ValueKind);
        Assert.Equal(JsonValueKind.Null, nodes[0].GetProperty("messaging").ValueKind);
    }

    [Fact]
    public void Serialize_FullReply_HasExactlyTheDocumentedKeysAndValues()
    {
        using var doc = JsonDocument.Parse(JsonOutput.Serialize(StatusView.FromReply(SampleReplies.FourNodes())));
        var root = doc.RootElement;

        Assert.Equal(TopKeys, Keys(root));
        Assert.Equal("mysql-ha", root.GetProperty("cluster").GetString());
        Assert.Equal(JsonValueKind.True, root.GetProperty("quorate").ValueKind);
        Assert.Equal("node1", root.GetProperty("dc").GetString());
        Assert.Equal("1.1f", root.GetProperty("ringId").GetString());
        Assert.Equal(31UL, root.GetProperty("ringSeq").GetUInt64());
        Assert.Equal("node1", root.GetProperty("localNode").GetString());

        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["node1", "node2", "node3", "node4"], nodes.Select(n => n.GetProperty("name").GetString()));
        Assert.All(nodes, n => Assert.Equal(NodeKeys, Keys(n)));
        var node2 = nodes[1];
        Assert.Equal(2U, node2.GetProperty("id").GetUInt32());
        Assert.True(node2.GetProperty("online").GetBoolean());
        Assert.True(node2.GetProperty("standby").GetBoolean());
        Assert.False(node2.GetProperty("unclean").GetBoolean());
        Assert.Equal("member", node2.GetProperty("state").GetString());
        Assert.Equal(3UL, node2.GetProperty("incarnation").GetUInt64());
        Assert.True(nodes[2].GetProperty("unclean").GetBoolean());
        Assert.Equal("lost", nodes[2].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Array, nodes[0].GetProperty("links").ValueKind);
        Assert.Empty(nodes[0].GetProperty("links").EnumerateArray());

        var links = node2.GetProperty("links").EnumerateArray().ToList();
        Assert.All(links, l => Assert.Equal(LinkKeys, Keys(l)));
        var seen = links[0];
        Assert.Equal(0U, seen.GetProperty("link").GetUInt32());
        Assert.Equal("10.0.0.2:5405", seen.GetProperty("address").GetString());
        Assert.True(seen.GetProperty("up").GetBoolean());
        Assert.Equal(120L, seen.GetProperty("lastSeenMsAgo").GetInt64());
        Assert.Equal(0.42, seen.GetProperty("rttMs").GetDouble());
        Assert.Equal(1000UL, seen.GetProperty("received").GetUInt64());
        Assert.Equal(4UL, seen.GetProperty("lost").GetUInt64());
        var never = links[1];
        Assert.False(never.GetProperty("up").GetBoolean());
        Assert.Equal(JsonValueKind.Null, never.GetProperty("lastSeenMsAgo").ValueKind);
        Assert.Equal(JsonValueKind.Null, never.GetProperty("rttMs").ValueKind);

        var resource = Assert.Single(root.GetProperty("resources").EnumerateArray());
        Assert.Equal(ResourceKeys, Keys(resource));
        Assert.Equal("drbd_mysql", resource.GetProperty("id").GetString());
        Assert.Equal("ocf:linbit:drbd", resource.GetProperty("agent").GetString());
        var instances = resource.GetProperty("instances").EnumerateArray().ToList();
        Assert.All(instances, i => Assert.Equal(InstanceKeys, Keys(i)));
        Assert.Equal(["node1:Promoted", "node2:Unpromoted"],
            instances.Select(i => $"{i.GetProperty("node").GetString()}:{i.GetProperty("role").GetString()}"));

        var quorum = root.GetProperty("quorum");
        Assert.Equal(QuorumKeys, Keys(quorum));
        Assert.Equal(4U, quorum.GetProperty("expectedVotes").GetUInt32());
        Assert.Equal(2U, quorum.GetProperty("totalVotes").GetUInt32());
        Assert.Equal(3U, quorum.GetProperty("quorum").GetUInt32());
        Assert.False(quorum.GetProperty("twoNode").GetBoolean());
        Assert.True(quorum.GetProperty("waitForAll").GetBoolean());
        Assert.True(quorum.GetProperty("waitForAllSatisfied").GetBoolean());

        var datagrams = root.GetProperty("datagrams");
        Assert.Equal(DatagramKeys, Keys(datagrams));
        Assert.Equal(1200UL, datagrams.GetProperty("accepted").GetUInt64());
        Assert.Equal(5UL, datagrams.GetProperty("dropped").GetUInt64());
        var reasons = datagrams.GetProperty("droppedByReason");
        Assert.Equal(["bad_hmac", "replay"], Keys(reasons));
        Assert.Equal(3UL, reasons.GetProperty("bad_hmac").GetUInt64());
        Assert.Equal(2UL, reasons.GetProperty("replay").GetUInt64());
    }

    [Fact]
    public void Serialize_FreshDaemon_DcIsNullAndObjectsArePresent()
    {
        using var doc = JsonDocument.Parse(JsonOutput.Serialize(StatusView.FromReply(SampleReplies.Empty())));
        var root = doc.RootElement;

        Assert.Equal(TopKeys, Keys(root));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("dc").ValueKind);
        Assert.False(root.GetProperty("quorate").GetBoolean());
        Assert.Equal("", root.GetProperty("ringId").GetString());
        Assert.Empty(root.GetProperty("nodes").EnumerateArray());
        Assert.Empty(root.GetProperty("resources").EnumerateArray());
        Assert.Equal(QuorumKeys, Keys(root.GetProperty("quorum")));
        Assert.Equal(DatagramKeys, Keys(root.GetProperty("datagrams")));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("datagrams").GetProperty("droppedByReason").ValueKind);
    }

    [Fact]
    public void Serialize_ControllerView_FailuresFencingAndPendingWithTheirKeys()
    {
        using var doc = JsonDocument.Parse(JsonOutput.Serialize(StatusView.FromReply(SampleReplies.WithController())));
        var root = doc.RootElement;

        Assert.True(root.GetProperty("isDc").GetBoolean());
        Assert.Contains("split brain is possible", root.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        var drbd = root.GetProperty("resources")[0];
        Assert.Equal(("ms_drbd_mysql", true, JsonValueKind.Null), (drbd.GetProperty("cloneId").GetString(), drbd.GetProperty("promotable").GetBoolean(), drbd.GetProperty("groupId").ValueKind));
        Assert.Equal("g_mysql", root.GetProperty("resources")[2].GetProperty("groupId").GetString());
        var failcount = Assert.Single(root.GetProperty("failcounts").EnumerateArray());
        Assert.Equal(["resource", "node", "count", "lastFailure"], Keys(failcount));
        Assert.Equal(1_000_000, failcount.GetProperty("count").GetInt32());
        var failed = Assert.Single(root.GetProperty("failedActions").EnumerateArray());
        Assert.Equal(["time", "resource", "node", "action", "message", "durationMs"], Keys(failed));
        Assert.Equal(250, failed.GetProperty("durationMs").GetInt64());
        var fences = root.GetProperty("fencing").EnumerateArray().ToList();
        Assert.Equal(["target", "action", "device", "requestedBy", "result", "reason", "detail", "requested", "completed"], Keys(fences[0]));
        Assert.Equal(("succeeded", "pending"), (fences[0].GetProperty("result").GetString(), fences[1].GetProperty("result").GetString()));
        Assert.Equal(JsonValueKind.Null, fences[1].GetProperty("completed").ValueKind);
        var pending = Assert.Single(root.GetProperty("pendingActions").EnumerateArray());
        Assert.Equal(["resource", "node", "action", "intervalMs"], Keys(pending));
        var watchdog = root.GetProperty("watchdog");
        Assert.Equal(["device", "timeoutMs", "armed", "lastFeed", "starving", "starvingSince", "detail"], Keys(watchdog));
        Assert.Equal(("/dev/watchdog", 5000, true, JsonValueKind.Null), (watchdog.GetProperty("device").GetString(), watchdog.GetProperty("timeoutMs").GetInt64(),
            watchdog.GetProperty("armed").GetBoolean(), watchdog.GetProperty("starving").ValueKind));
        var scheduled = Assert.Single(root.GetProperty("scheduledEvents").EnumerateArray());
        Assert.Equal(["eventId", "type", "status", "nodes", "notBefore", "decision", "acknowledged", "coveredUntil"], Keys(scheduled));
        Assert.Equal(("ev-1", "Freeze", "node2"), (scheduled.GetProperty("eventId").GetString(), scheduled.GetProperty("type").GetString(), scheduled.GetProperty("nodes")[0].GetString()));
        Assert.StartsWith("polling", root.GetProperty("scheduledEventsState").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_ControllerView_ReadBackBySimulateStatusWithFailcounts()
    {
        var json = JsonOutput.Serialize(StatusView.FromReply(SampleReplies.WithController()));

        var read = ClusterD.ResourceManager.Status.StatusJson.Read(json, "status.json");

        Assert.True(read.Errors.IsEmpty, string.Join("\n", read.Errors));
        var failcount = Assert.Single(read.Status!.Failcounts);
        Assert.Equal(("mysqld", "node2", true), (failcount.Resource, failcount.Node, failcount.Count.IsInfinity));
        Assert.Equal(ClusterD.ResourceManager.Status.InstanceRole.Promoted, read.Status.RoleOf("drbd_mysql", "node1"));
    }

    private static List<string> Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
