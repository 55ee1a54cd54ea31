using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Status;

public sealed class StatusJsonTests
{
    // What `clusterctl status --json` prints today (keys beyond the model included), plus failcounts and attributes.
    private const string DaemonJson = """
        {
          "cluster": "mysql-ha",
          "quorate": true,
          "dc": "hadb01",
          "ringId": "1.1f",
          "ringSeq": 31,
          "localNode": "hadb01",
          "nodes": [
            { "name": "hadb01", "id": 1, "online": true, "standby": false, "unclean": false, "state": "member", "incarnation": 7,
              "links": [ { "link": 0, "address": "10.0.0.4", "up": true, "lastSeenMsAgo": null, "rttMs": null, "received": 1, "lost": 0 } ],
              "messaging": null, "attributes": { "master-drbd_mysql": 10000, "rack": "r1", "ssd": true } },
            { "name": "hadb02", "id": 2, "online": false, "standby": false, "unclean": true, "state": "lost", "incarnation": 9, "links": [] }
          ],
          "resources": [
            { "id": "drbd_mysql", "agent": "ocf:linbit:drbd", "instances": [ { "node": "hadb01", "role": "Promoted" }, { "node": "hadb02", "role": "Slave" } ] },
            { "id": "mysqld", "agent": "lsb:mysql", "instances": [ { "node": "hadb01", "role": "Failed" } ] }
          ],
          "failcounts": [ { "resource": "mysqld", "node": "hadb01", "count": "INFINITY", "lastFailure": "2025-01-13T10:00:00Z" } ],
          "quorum": { "expectedVotes": 2, "totalVotes": 1, "quorum": 1, "twoNode": true, "waitForAll": true, "waitForAllSatisfied": true },
          "datagrams": { "accepted": 10, "dropped": 0, "droppedByReason": {} },
          "messagingRefusedSessions": 0
        }
        """;

    [Fact]
    public void Read_DaemonStatusJson_MapsEveryField()
    {
        var result = StatusJson.Read(DaemonJson, "status.json");

        Assert.Empty(result.Errors);
        var status = result.Status!;
        Assert.Equal(("mysql-ha", true, "hadb01", "1.1f"), (status.Cluster, status.Quorate, status.Dc, status.RingId));
        Assert.Equal(
            [
                new NodeStatus("hadb01", "1", Online: true, Attributes: AttributeMap.Of(("master-drbd_mysql", "10000"), ("rack", "r1"), ("ssd", "true"))),
                new NodeStatus("hadb02", "2", Unclean: true),
            ],
            status.Nodes);
        Assert.Equal(new Score(10000), status.Nodes[0].PromotionScore("drbd_mysql"));
        Assert.Equal(
            [new ResourceInstance("hadb01", InstanceRole.Promoted), new ResourceInstance("hadb02", InstanceRole.Unpromoted)],
            status.FindResource("drbd_mysql")!.Instances);
        Assert.Equal(InstanceRole.Failed, status.RoleOf("mysqld", "hadb01"));
        Assert.Equal(
            new Failcount("mysqld", "hadb01", Score.Infinity, new DateTimeOffset(2025, 1, 13, 10, 0, 0, TimeSpan.Zero)),
            Assert.Single(status.Failcounts));
    }

    [Fact]
    public void Write_ThenRead_GivesAnEqualStatus()
    {
        var status = StatusJson.Read(DaemonJson).Status!;
        var cib = CibImporter.ImportFile(Fixtures.Cib("mysql-drbd-modern.xml")).Status!;

        Assert.Equal(status, StatusJson.Read(StatusJson.Write(status)).Status);
        Assert.Equal(cib, StatusJson.Read(StatusJson.Write(cib)).Status);
        Assert.Contains("\"id\": 1,", StatusJson.Write(status), StringComparison.Ordinal);
    }

    [Fact]
    public void Pending_ReadWrittenOnlyWhenTrue_AndRoundTrips()
    {
        var status = StatusJson.Read("""{ "nodes": [ { "name": "a", "online": true }, { "name": "b", "pending": true } ] }""").Status!;

        Assert.Equal([new NodeStatus("a", Online: true), new NodeStatus("b", Pending: true)], status.Nodes);
        var written = StatusJson.Write(status);
        Assert.Equal(1, written.Split("\"pending\"").Length - 1);
        Assert.Equal(status, StatusJson.Read(written).Status);
    }

    [Fact]
    public void Read_Minimal_EmptyListsAndDefaults()
    {
        var status = StatusJson.Read("""{ "quorate": false, "dc": null, "ringId": "" }""").Status!;

        Assert.Equal(new ClusterStatus(), status);
    }

    [Theory]
    [InlineData("{ \"nodes\": [ { \"name\": \"a\", \"online\": \"yes\" } ] }", 1, 46, "$.nodes[0].online: expected true or false")]
    [InlineData("{\n  \"nodes\": [ { \"id\": 1 } ]\n}", 2, 25, "$.nodes[0]: missing required key 'name'")]
    [InlineData("{ \"nodes\": \"x\" }", 1, 15, "$.nodes: expected an array")]
    [InlineData("{ \"nodes\": [ 7 ] }", 1, 15, "$.nodes[0]: expected an object")]
    [InlineData("{ \"nodes\": [ { \"name\": \"a\", \"attributes\": [] } ] }", 1, 47, "$.nodes[0].attributes: expected an object")]
    [InlineData("{ \"operations\": [ { \"resource\": \"r\", \"node\": \"n\", \"operation\": \"start\", \"rc\": 1.5 } ] }", 1, 82, "$.operations[0].rc: expected a whole number")]
    [InlineData("{ \"operations\": [ { \"resource\": \"r\", \"node\": \"n\", \"operation\": \"start\", \"rc\": 0, \"lastRcChange\": 1 } ] }", 1, 101, "$.operations[0].lastRcChange: expected an ISO 8601 time")]
    [InlineData("{ \"dc\": {} }", 1, 10, "$.dc: expected a string")]
    [InlineData("{ \"quorate\": true,\n  \"nodes\": [ }", 2, 14, "$.nodes[0]: '}' is an invalid start of a value")]
    [InlineData("[]", 1, 2, "$: ")]
    [InlineData("{ \"failcounts\": [ { \"resource\": \"r\", \"node\": \"n\", \"count\": \"lots\" } ] }", 1, 66, "$.failcounts[0].count: expected a score")]
    public void Read_MalformedOrWrongTypes_ErrorWithPathAndLine(string json, int line, int column, string message)
    {
        var result = StatusJson.Read(json, "s.json");

        Assert.Null(result.Status);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Read_NestedTooDeep_SaysHowDeepIsAllowed()
    {
        var json = "{ \"nodes\": [ { \"name\": \"a\", \"attributes\": { \"x\": " + new string('[', 40) + new string(']', 40) + " } } ] }";

        var error = Assert.Single(StatusJson.Read(json, "s.json").Errors);

        Assert.EndsWith(": nested deeper than 32 levels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"nodes\": [ { \"name\": \"a\" }, { \"name\": \"a\" } ] }", "$.nodes[1].name: node 'a' is listed twice")]
    [InlineData("{ \"nodes\": [ { \"name\": \"a\" } ], \"resources\": [ { \"id\": \"r\", \"instances\": [ { \"node\": \"a\", \"role\": \"Boss\" } ] } ] }", "$.resources[0].instances[0].role: 'Boss' is not a role (Stopped, Started, Unpromoted, Promoted, Failed)")]
    [InlineData("{ \"nodes\": [ { \"name\": \"a\" } ], \"resources\": [ { \"id\": \"r\", \"instances\": [ { \"node\": \"b\", \"role\": \"Started\" } ] } ] }", "$.resources[0].instances[0].node: 'b' is not one of the listed nodes")]
    [InlineData("{ \"resources\": [ { \"id\": \"r\" }, { \"id\": \"r\" } ] }", "$.resources[1].id: resource 'r' is listed twice")]
    [InlineData("{ \"failcounts\": [ { \"resource\": \"r\", \"node\": \"n\", \"count\": -1 } ] }", "$.failcounts[0].count: a fail count cannot be negative")]
    [InlineData("{ \"nodes\": [ { \"name\": \"a\", \"attributes\": { \"x\": [1] } } ] }", "$.nodes[0].attributes.x: an attribute value must be a string, a number or a boolean")]
    [InlineData("{ \"operations\": [ { \"resource\": null, \"node\": \"n\", \"operation\": \"monitor\", \"rc\": 0 } ] }", "$.operations[0].resource: a non-empty string is required")]
    [InlineData("{ \"failcounts\": [ { \"resource\": \"r\", \"node\": null, \"count\": 1 } ] }", "$.failcounts[0].node: a non-empty string is required")]
    [InlineData("{ \"resources\": [ { \"id\": \"r\", \"instances\": [ { \"node\": null, \"role\": \"Started\" } ] } ] }", "$.resources[0].instances[0].node: a non-empty string is required")]
    public void Read_InvalidContent_ErrorNamesThePath(string json, string message)
    {
        var result = StatusJson.Read(json, "s.json");

        Assert.Null(result.Status);
        Assert.Equal($"s.json: {message}", Assert.Single(result.Errors).ToString());
    }
}
