using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>Every error names the file, the line and the key.</summary>
public sealed partial class ClusterConfigurationLoaderTests
{
    [Fact]
    public void Parse_MissingNodelist_FailsNamingSectionWithoutLine()
    {
        var e = Fails("totem {\n    token: 1000\n}\n");

        Assert.Equal((FileName, 0, "nodelist"), (e.File, e.Line, e.Key));
        Assert.Equal("inline.conf: nodelist: section is missing", e.Message);
    }

    [Fact]
    public void Parse_UnclosedSection_FailsAtItsOpeningLine()
    {
        var text = TwoNodes + "\nquorum {\n    two_node: 1\n";

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, "quorum {"), "quorum"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_StrayClosingBrace_FailsAtItsLine()
    {
        var text = TwoNodes + "\n}\n";

        var e = Fails(text);

        Assert.Equal((FileName, TwoNodes.Split('\n').Length + 1, "}"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_TokenNotANumber_FailsAtTokenLine()
    {
        var text = "totem {\n    cluster_name: x\n    token: abc\n}\n" + TwoNodes;

        var e = Fails(text);

        Assert.Equal((FileName, 3, "totem.token"), (e.File, e.Line, e.Key));
        Assert.Equal("inline.conf:3: totem.token: 'abc' is not a whole number from 10 to 600000", e.Message);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("600001")]
    [InlineData("-1")]
    [InlineData("1000ms")]
    [InlineData("1e3")]
    public void Parse_TokenOutOfRangeOrNotWhole_FailsAtTokenLine(string value)
    {
        var e = Fails($"totem {{\n    token: {value}\n}}\n" + TwoNodes);

        Assert.Equal((FileName, 2, "totem.token"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_KeyWithoutValue_FailsSayingSo()
    {
        var e = Fails("totem {\n    token:\n}\n" + TwoNodes);

        Assert.Equal((FileName, 2, "totem.token", "has no value"), (e.File, e.Line, e.Key, e.Problem));
    }

    [Fact]
    public void Parse_TransportUdp_FailsAtTransportLine()
    {
        var e = Fails("totem {\n    version: 2\n    transport: udp\n}\n" + TwoNodes);

        Assert.Equal((FileName, 3, "totem.transport"), (e.File, e.Line, e.Key));
        Assert.Contains("'udp' is not supported", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateNodeId_FailsAtSecondNodeIdLine()
    {
        const string text = """
            nodelist {
                node {
                    nodeid: 1
                    ring0_addr: 10.1.0.1
                }
                node {
                    ring0_addr: 10.1.0.2
                    nodeid: 1
                }
            }
            """;

        var e = Fails(text);

        Assert.Equal((FileName, 8, "node.nodeid"), (e.File, e.Line, e.Key));
        Assert.Equal("node id 1 is used twice", e.Problem);
    }

    [Fact]
    public void Parse_DuplicateNodeName_FailsAtSecondNameLine()
    {
        const string text = """
            nodelist {
                node {
                    nodeid: 1
                    name: same
                    ring0_addr: 10.1.0.1
                }
                node {
                    nodeid: 2
                    ring0_addr: 10.1.0.2
                    name: same
                }
            }
            """;

        var e = Fails(text);

        Assert.Equal((FileName, 10, "node.name"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_NodeWithoutRing0Addr_FailsAtNodeLine()
    {
        const string text = """
            nodelist {
                node {
                    nodeid: 1
                    ring0_addr: 10.1.0.1
                }
                node {
                    nodeid: 2
                    name: b
                }
            }
            """;

        var e = Fails(text);

        Assert.Equal((FileName, 6, "node.ring0_addr"), (e.File, e.Line, e.Key));
        Assert.Equal("is required", e.Problem);
    }

    [Fact]
    public void Parse_NodeWithoutNodeId_FailsAtNodeLine()
    {
        var e = Fails("nodelist {\n    node {\n        ring0_addr: 10.1.0.1\n    }\n}\n");

        Assert.Equal((FileName, 2, "node.nodeid"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_NodeIdZero_FailsAtNodeIdLine()
    {
        var e = Fails("nodelist {\n    node {\n        ring0_addr: 10.1.0.1\n        nodeid: 0\n    }\n}\n");

        Assert.Equal((FileName, 4, "node.nodeid"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_EmptyNodelist_FailsAtNodelistLine()
    {
        var e = Fails("totem {\n}\nnodelist {\n}\n");

        Assert.Equal((FileName, 3, "nodelist.node"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_33Nodes_FailsAtNodelistLine()
    {
        var nodes = string.Concat(Enumerable.Range(1, 33).Select(i => $"node {{\nnodeid: {i}\nring0_addr: 10.1.0.{i}\n}}\n"));

        var e = Fails("\nnodelist {\n" + nodes + "}\n");

        Assert.Equal((FileName, 2, "nodelist.node"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_TwoNodeWithThreeNodes_FailsAtTwoNodeLine()
    {
        var text = ThreeNodes + "\nquorum {\n    provider: corosync_votequorum\n    two_node: 1\n}\n";

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, "two_node"), "quorum.two_node"), (e.File, e.Line, e.Key));
        Assert.Contains("nodes: 3", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoNodeWithThreeExpectedVotes_FailsAtTwoNodeLine()
    {
        var text = TwoNodes + "\nquorum {\n    two_node: 1\n    expected_votes: 3\n}\n";

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, "two_node"), "quorum.two_node"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_RelativeStateDir_FailsAtStateDirLine()
    {
        var text = TwoNodes + "\nclusterd {\n    state_dir: var/lib/clusterd\n}\n";

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, "state_dir"), "clusterd.state_dir"), (e.File, e.Line, e.Key));
        Assert.Equal("'var/lib/clusterd' must be an absolute path", e.Problem);
    }

    [Theory]
    [InlineData("admin_socket: clusterd.sock", "clusterd.admin_socket")]
    [InlineData("authkey: ./authkey", "clusterd.authkey")]
    [InlineData("messaging_port: 0", "clusterd.messaging_port")]
    [InlineData("messaging_port: 65536", "clusterd.messaging_port")]
    [InlineData("health_probe_port: 0", "clusterd.health_probe_port")]
    public void Parse_BadClusterDValue_FailsAtItsLine(string line, string key)
    {
        var text = TwoNodes + "\nclusterd {\n    " + line + "\n}\n";

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, line), key), (e.File, e.Line, e.Key));
    }

    [Theory]
    [InlineData("totem", "crypto_cipher: blowfish", "totem.crypto_cipher")]
    [InlineData("totem", "cluster_name: 12345678901234567890123456789012345678901234567890123456789012345", "totem.cluster_name")]
    [InlineData("quorum", "provider: corosync_qdevice", "quorum.provider")]
    [InlineData("quorum", "two_node: maybe", "quorum.two_node")]
    [InlineData("quorum", "wait_for_all: 2", "quorum.wait_for_all")]
    [InlineData("quorum", "expected_votes: 0", "quorum.expected_votes")]
    [InlineData("logging", "to_syslog: sometimes", "logging.to_syslog")]
    public void Parse_BadValue_FailsAtItsLine(string section, string line, string key)
    {
        var text = TwoNodes + $"\n{section} {{\n    {line}\n}}\n";

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, line), key), (e.File, e.Line, e.Key));
    }

    [Theory]
    [InlineData("mcastport: 0", "interface.mcastport")]
    [InlineData("mcastport: 65536", "interface.mcastport")]
    [InlineData("linknumber: 8", "interface.linknumber")]
    [InlineData("ringnumber: 8", "interface.ringnumber")]
    public void Parse_BadInterfaceValue_FailsAtItsLine(string line, string key)
    {
        var text = "totem {\n    interface {\n        " + line + "\n    }\n}\n" + TwoNodes;

        var e = Fails(text);

        Assert.Equal((FileName, 3, key), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_ClusterNameOver64Utf8Bytes_FailsAtClusterNameLine()
    {
        // 33 'é' are 33 characters but 66 UTF-8 bytes: the heartbeat carries at most
        // HeartbeatCodec.MaxClusterNameBytes (64) bytes, so such a name could never form a cluster.
        var text = "totem {\n    cluster_name: " + new string('é', 33) + "\n}\n" + TwoNodes;

        var e = Record.Exception(() => Parse(text));

        var configException = Assert.IsType<ConfigException>(e);
        Assert.Equal((FileName, 2, "totem.cluster_name"), (configException.File, configException.Line, configException.Key));
    }

    [Fact]
    public void Parse_KnetPingIntervalEqualToToken_FailsAtItsLine()
    {
        var e = Fails("totem {\n    token: 1000\n    knet_ping_interval: 1000\n}\n" + TwoNodes);

        Assert.Equal((FileName, 3, "totem.knet_ping_interval"), (e.File, e.Line, e.Key));
        Assert.Contains("1000 ms", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SectionTwice_FailsAtSecondOccurrence()
    {
        var text = "totem {\n}\n" + TwoNodes + "\ntotem {\n}\n";

        var e = Fails(text);

        Assert.Equal((FileName, TwoNodes.Split('\n').Length + 3, "totem"), (e.File, e.Line, e.Key));
    }
}
