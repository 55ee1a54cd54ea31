using ClusterD.Agents.Native.Drbd;

namespace ClusterD.Agents.Tests.Native.Drbd;

public sealed class DrbdStatusParserTests
{
    private const string Drbd9 = """
        [
        {
          "name": "r0", "node-id": 0, "role": "Primary", "suspended": false,
          "devices": [ { "volume": 0, "minor": 1, "disk-state": "UpToDate", "client": false } ],
          "connections": [ { "peer-node-id": 1, "name": "hadb02", "connection-state": "Connected", "peer-role": "Secondary",
            "peer_devices": [ { "volume": 0, "replication-state": "SyncSource", "peer-disk-state": "Inconsistent", "percent-in-sync": 42.5 } ] } ]
        },
        { "name": "r1", "role": "Secondary", "devices": [], "connections": [] }
        ]
        """;

    [Fact]
    public void ParseJson_ReadsRoleDisksAndPeer()
    {
        var state = DrbdStatusParser.ParseJson(Drbd9, "r0");

        Assert.Equal(new DrbdState(true, "Primary", "UpToDate", "Connected", "Secondary", "Inconsistent"), state);
    }

    [Fact]
    public void ParseJson_ResourceWithoutDevicesOrPeers_IsDisklessAndStandAlone()
    {
        var state = DrbdStatusParser.ParseJson(Drbd9, "r1");

        Assert.Equal(new DrbdState(true, "Secondary", "Diskless", "StandAlone", "Unknown", "DUnknown"), state);
        Assert.Equal(DrbdState.Down, DrbdStatusParser.ParseJson(Drbd9, "r7"));
    }

    [Theory]
    [InlineData("{ \"name\": \"r0\" }")]
    [InlineData("[ { \"name\": \"r0\", ")]
    [InlineData("not json")]
    public void ParseJson_Garbage_IsAFormatException(string json)
    {
        Assert.Throws<FormatException>(() => DrbdStatusParser.ParseJson(json, "r0"));
    }

    [Fact]
    public void ParseJson_WrongTypes_AreReadAsUnknownNotThrown()
    {
        var state = DrbdStatusParser.ParseJson("[ { \"name\": \"r0\", \"role\": 7, \"devices\": \"x\", \"connections\": [ 1 ] } ]", "r0");

        Assert.Equal(new DrbdState(true, "Unknown", "Diskless", "StandAlone", "Unknown", "DUnknown"), state);
    }

    [Fact]
    public void ParseProcDrbd_Drbd84Lines()
    {
        const string Proc = """
            version: 8.4.11 (api:1/proto:86-101)
            srcversion: 2F3D2D1A5C1D6C5E8A7B6C1

             0: cs:Unconfigured
             1: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----
                ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:1024
            11: cs:WFConnection ro:Secondary/Unknown ds:Outdated/DUnknown C r-----
            """;

        Assert.Equal(DrbdState.Down, DrbdStatusParser.ParseProcDrbd(Proc, 0));
        Assert.Equal(new DrbdState(true, "Primary", "UpToDate", "SyncSource", "Secondary", "Inconsistent"), DrbdStatusParser.ParseProcDrbd(Proc, 1));
        Assert.Equal(new DrbdState(true, "Secondary", "Outdated", "WFConnection", "Unknown", "DUnknown"), DrbdStatusParser.ParseProcDrbd(Proc, 11));
        Assert.Equal(DrbdState.Down, DrbdStatusParser.ParseProcDrbd(Proc, 2));
    }

    [Theory]
    [InlineData("UpToDate", "Connected", "UpToDate", "Secondary", "10000")]
    [InlineData("UpToDate", "Connecting", "DUnknown", "Unknown", "1000")]
    [InlineData("Consistent", "Connected", "Outdated", "Secondary", "10")]
    [InlineData("Consistent", "Connecting", "DUnknown", "Unknown", "-INFINITY")]
    [InlineData("Outdated", "Connected", "UpToDate", "Secondary", "-INFINITY")]
    [InlineData("UpToDate", "Connected", "UpToDate", "Primary", "1000")]
    public void PromotionScore_FollowsDataQuality(string disk, string connection, string peerDisk, string peerRole, string expected)
    {
        Assert.Equal(expected, new DrbdState(true, "Secondary", disk, connection, peerRole, peerDisk).PromotionScore());
    }

    [Fact]
    public void PromotionScore_OfAPrimaryWhosePeerDied_StaysAboveThePeerThatComesBack()
    {
        var primaryAlone = new DrbdState(true, "Primary", "UpToDate", "Connecting", "Unknown", "DUnknown");
        var peerBack = new DrbdState(true, "Secondary", "UpToDate", "Connected", "Primary", "UpToDate");

        // Equal or lower, the Primary would lose its role to the returning node: a failback nobody asked for.
        Assert.Equal("10000", primaryAlone.PromotionScore());
        Assert.Equal("1000", peerBack.PromotionScore());
    }
}
