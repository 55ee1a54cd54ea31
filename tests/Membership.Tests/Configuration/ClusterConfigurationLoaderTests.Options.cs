using System.Net;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Quorum;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>Derived values (token, interval, links, quorum) and warnings.</summary>
public sealed partial class ClusterConfigurationLoaderTests
{
    [Fact]
    public void Parse_UnknownTotemKey_WarnsWithItsLine()
    {
        var text = "totem {\n    token: 1000\n    foo: bar\n}\n" + TwoNodes;

        var config = Parse(text);

        Assert.Equal([new ConfigWarning(FileName, 3, "totem.foo", "unknown key")], config.Warnings);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), config.Totem.Token);
    }

    [Theory]
    [InlineData("totem", "foo: bar", "totem.foo", "unknown key")]
    [InlineData("totem", "consensus: 1200", "totem.consensus", NoEffect)]
    [InlineData("totem", "secauth: on", "totem.secauth", NoEffect)]
    [InlineData("quorum", "last_man_standing: 1", "quorum.last_man_standing", NoEffect)]
    [InlineData("quorum", "foo: 1", "quorum.foo", "unknown key")]
    [InlineData("logging", "syslog_facility: daemon", "logging.syslog_facility", NoEffect)]
    [InlineData("logging", "foo: 1", "logging.foo", "unknown key")]
    [InlineData("clusterd", "foo: 1", "clusterd.foo", "unknown key")]
    public void Parse_UnusedKey_WarnsWithLineKeyAndReason(string section, string line, string key, string problem)
    {
        var text = TwoNodes + $"\n{section} {{\n    {line}\n}}\n";

        var config = Parse(text);

        Assert.Equal([new ConfigWarning(FileName, LineOf(text, line), key, problem)], config.Warnings);
    }

    [Fact]
    public void Parse_UnknownKeysInNodeAndInterface_WarnWithTheirLines()
    {
        const string text = """
            totem {
                interface {
                    linknumber: 0
                    bindnetaddr: 10.1.0.0
                    colour: blue
                }
            }
            nodelist {
                node {
                    nodeid: 1
                    ring0_addr: 10.1.0.1
                    colour: red
                }
            }
            """;

        var config = Parse(text);

        Assert.Equal(
            [(4, "interface.bindnetaddr", NoEffect), (5, "interface.colour", "unknown key"), (12, "node.colour", "unknown key")],
            WarningsOf(config).OrderBy(w => w.Line));
    }

    [Fact]
    public void Parse_UnknownAndIgnoredSections_WarnWithTheirLines()
    {
        var text = "stray: 1\nbar {\n}\nsystem {\n    qb_ipc_type: native\n}\ntotem {\n    weird {\n    }\n}\n" + TwoNodes;

        var config = Parse(text);

        Assert.Equal(
            [
                (1, "stray", "unknown key"),
                (2, "bar", "unknown section"),
                (4, "system", "section has no effect in clusterd"),
                (8, "totem.weird", "unknown section"),
            ],
            WarningsOf(config).OrderBy(w => w.Line));
    }

    [Fact]
    public void Parse_QuorumDevice_WarnsThatQdeviceIsReplacedByWitness()
    {
        var text = TwoNodes + "\nquorum {\n    device {\n        model: net\n    }\n}\n";

        var config = Parse(text);

        var warning = Assert.Single(config.Warnings);
        Assert.Equal((LineOf(text, "device {"), "quorum.device"), (warning.Line, warning.Key));
        Assert.Contains("witness", warning.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha1", true)]
    [InlineData("md5", true)]
    [InlineData("sha512", true)]
    [InlineData("sha256", false)]
    [InlineData("none", false)]
    public void Parse_CryptoHash_WarnsUnlessNoneOrSha256(string hash, bool warns)
    {
        var config = Parse($"totem {{\n    crypto_hash: {hash}\n}}\n" + TwoNodes);

        Assert.Equal(hash, config.Totem.CryptoHash);
        Assert.Equal(warns ? [(2, "totem.crypto_hash")] : [], config.Warnings.Select(w => (w.Line, w.Key)));
    }

    [Fact]
    public void Parse_NoTotemSection_UsesCorosyncDefaults()
    {
        var config = Parse(TwoNodes);

        Assert.Equal("hacluster", config.Totem.ClusterName);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), config.Totem.Token);
        Assert.Equal(TimeSpan.FromMilliseconds(600), config.Totem.HeartbeatInterval);
        Assert.Equal("knet", config.Totem.Transport);
        Assert.Equal(Enumerable.Repeat(ClusterConfigurationLoader.DefaultPort, 8), config.Totem.LinkPorts);
        Assert.Equal(new QuorumOptions(2, false, false), config.Quorum);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Parse_ThreeNodes_AddsOneTokenCoefficient()
    {
        var config = Parse("totem {\n    token: 1000\n}\n" + ThreeNodes);

        Assert.Equal(TimeSpan.FromMilliseconds(1650), config.Totem.Token);
        Assert.Equal(TimeSpan.FromMilliseconds(330), config.Totem.HeartbeatInterval);
        Assert.Equal(new QuorumOptions(3, false, false), config.Quorum);
        Assert.Equal(["node1", "node2", "node3"], config.Nodes.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void Parse_FiveNodesDefaultToken_AddsThreeCoefficients()
    {
        var nodes = string.Concat(Enumerable.Range(1, 5).Select(i => $"node {{\nnodeid: {i}\nring0_addr: 10.1.0.{i}\n}}\n"));

        var config = Parse("nodelist {\n" + nodes + "}\n");

        Assert.Equal(TimeSpan.FromMilliseconds(3000 + (3 * 650)), config.Totem.Token);
    }

    [Theory]
    [InlineData(2, 500, 1000)]
    [InlineData(3, 0, 1000)]
    [InlineData(3, 200, 1200)]
    public void Parse_TokenCoefficient_AppliesOnlyAboveTwoNodes(int nodeCount, int coefficient, int expectedToken)
    {
        var config = Parse($"totem {{\n    token: 1000\n    token_coefficient: {coefficient}\n}}\n" + (nodeCount == 2 ? TwoNodes : ThreeNodes));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedToken), config.Totem.Token);
    }

    [Fact]
    public void Parse_KnetPingInterval_OverridesTokenFifth()
    {
        var config = Parse("totem {\n    token: 1000\n    knet_ping_interval: 100\n}\n" + TwoNodes);

        Assert.Equal(TimeSpan.FromMilliseconds(100), config.Totem.HeartbeatInterval);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Parse_KnetPingIntervalInInterface_UsedAsCorosyncPlacesIt()
    {
        var config = Parse("totem {\n    token: 1000\n    interface {\n        linknumber: 0\n        knet_ping_interval: 150\n    }\n}\n" + TwoNodes);

        Assert.Equal(TimeSpan.FromMilliseconds(150), config.Totem.HeartbeatInterval);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Parse_KnetPingIntervalJustBelowEffectiveToken_Accepted()
    {
        // 1000 ms + 650 ms for the third node: 1600 ms is shorter than the effective token.
        var config = Parse("totem {\n    token: 1000\n    knet_ping_interval: 1600\n}\n" + ThreeNodes);

        Assert.Equal(TimeSpan.FromMilliseconds(1600), config.Totem.HeartbeatInterval);
    }

    [Fact]
    public void Parse_TwoNodeWithWaitForAllOff_TurnsWaitForAllOff()
    {
        var config = Parse(TwoNodes + "\nquorum {\n    two_node: 1\n    wait_for_all: 0\n}\n");

        Assert.Equal(new QuorumOptions(2, TwoNode: true, WaitForAll: false), config.Quorum);
    }

    [Fact]
    public void Parse_WaitForAllOnThreeNodes_KeepsIt()
    {
        var config = Parse(ThreeNodes + "\nquorum {\n    wait_for_all: yes\n}\n");

        Assert.Equal(new QuorumOptions(3, TwoNode: false, WaitForAll: true), config.Quorum);
    }

    [Fact]
    public void Parse_ExpectedVotesAndQuorumVotes_UsedAsGiven()
    {
        var withVotes = Parse(TwoNodes.Replace("name: b", "name: b\n        quorum_votes: 2", StringComparison.Ordinal));
        var explicitExpected = Parse(ThreeNodes + "\nquorum {\n    expected_votes: 5\n}\n");

        Assert.Equal(2u, withVotes.Nodes[1].Votes);
        Assert.Equal(3u, withVotes.Quorum.ExpectedVotes);
        Assert.Equal(5u, explicitExpected.Quorum.ExpectedVotes);
    }

    [Fact]
    public void Parse_Ring1Addr_GivesTwoLinksOnDefaultPort()
    {
        var config = Parse(TwoNodes.Replace("ring0_addr: 10.1.0.1", "ring0_addr: 10.1.0.1\n        ring1_addr: 10.2.0.1", StringComparison.Ordinal)
            .Replace("ring0_addr: 10.1.0.2", "ring0_addr: 10.1.0.2\n        ring1_addr: 10.2.0.2", StringComparison.Ordinal));

        Assert.Equal(2, config.Nodes.LinkCount);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.1.0.1"), 5405), new IPEndPoint(IPAddress.Parse("10.2.0.1"), 5405)], config.Nodes[0].Links);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.1.0.2"), 5405), new IPEndPoint(IPAddress.Parse("10.2.0.2"), 5405)], config.Nodes[1].Links);
    }

    [Fact]
    public void Parse_InterfaceForLinkOne_SetsThatLinksPortOnly()
    {
        var nodes = TwoNodes.Replace("ring0_addr: 10.1.0.1", "ring0_addr: 10.1.0.1\n        ring1_addr: 10.2.0.1", StringComparison.Ordinal);
        var config = Parse("totem {\n    interface {\n        linknumber: 1\n        mcastport: 5415\n    }\n}\n" + nodes);

        Assert.Equal(5405, config.Totem.LinkPorts[0]);
        Assert.Equal(5415, config.Totem.LinkPorts[1]);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.1.0.1"), 5405), new IPEndPoint(IPAddress.Parse("10.2.0.1"), 5415)], config.Nodes[0].Links);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.1.0.2"), 5405)], config.Nodes[1].Links);
        Assert.Equal(2, config.Nodes.LinkCount);
    }

    [Fact]
    public void Parse_RingNumberInsteadOfLinkNumber_SetsThatLinksPort()
    {
        var config = Parse("totem {\n    interface {\n        ringnumber: 0\n        mcastport: 6000\n    }\n}\n" + TwoNodes);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.0.1"), 6000), config.Nodes[0].Links[0]);
    }

    [Fact]
    public void Parse_Ring2WithoutRing1_LeavesAGap()
    {
        var config = Parse(TwoNodes.Replace("ring0_addr: 10.1.0.1", "ring0_addr: 10.1.0.1\n        ring2_addr: 10.3.0.1", StringComparison.Ordinal));

        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.1.0.1"), 5405), null, new IPEndPoint(IPAddress.Parse("10.3.0.1"), 5405)],
            config.Nodes[0].Links);
        Assert.Equal(3, config.Nodes.LinkCount);
    }

    [Fact]
    public void Parse_Ipv6AndHostNameAddresses_Resolved()
    {
        var config = Parse(TwoNodes.Replace("10.1.0.1", "::1", StringComparison.Ordinal).Replace("10.1.0.2", "localhost", StringComparison.Ordinal));

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 5405), config.Nodes[0].Links[0]);
        Assert.True(IPAddress.IsLoopback(config.Nodes[1].Links[0]!.Address), $"localhost resolved to {config.Nodes[1].Links[0]}");
    }

    [Fact]
    public void Parse_NodesOutOfOrder_SortedById()
    {
        var config = Parse("nodelist {\nnode {\nnodeid: 7\nring0_addr: 10.1.0.7\n}\nnode {\nnodeid: 3\nring0_addr: 10.1.0.3\n}\n}\n");

        Assert.Equal([3u, 7u], config.Nodes.Nodes.Select(n => n.Id.Value));
        Assert.True(config.Nodes.TryGetIndex(new NodeId(7), out var index));
        Assert.Equal(1, index);
    }

    [Fact]
    public void Parse_RepeatedKey_LastOneWins()
    {
        var config = Parse("totem {\n    token: 1000\n    token: 2000\n}\n" + TwoNodes);

        Assert.Equal(TimeSpan.FromMilliseconds(2000), config.Totem.Token);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("trace", true)]
    [InlineData("off", false)]
    public void Parse_LoggingDebug_OnYesTraceMeanDebug(string value, bool debug)
    {
        var config = Parse(TwoNodes + $"\nlogging {{\n    debug: {value}\n}}\n");

        Assert.Equal(debug, config.Logging.Debug);
    }

    [Fact]
    public void Parse_AllClusterDSettings_Read()
    {
        var config = Parse(TwoNodes + """

            clusterd {
                state_dir: /srv/clusterd
                admin_socket: /srv/clusterd/admin.sock
                admin_socket_group: haclient
                authkey: /etc/clusterd/authkey.new
                authkey_accept: /etc/clusterd/authkey.old
                authkey_accept: /etc/clusterd/authkey.older
                messaging_port: 7000
                health_probe_port: 7001
            }
            """);

        Assert.Equal(
            new ClusterDOptions("/srv/clusterd", "/srv/clusterd/admin.sock", "haclient", "/etc/clusterd/authkey.new", config.ClusterD.AuthKeyAccept,
                7000, 7001),
            config.ClusterD);
        Assert.Equal(["/etc/clusterd/authkey.old", "/etc/clusterd/authkey.older"], config.ClusterD.AuthKeyAccept);
        Assert.Empty(config.Warnings);
    }
}
