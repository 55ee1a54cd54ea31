using System.Net;
using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>Node addresses: strict dotted quads, unicast only, each used by one node.</summary>
public sealed partial class ClusterConfigurationLoaderTests
{
    private static string NodesWith(string first, string second = "192.0.2.2") => $$"""
        nodelist {
            node {
                nodeid: 1
                ring0_addr: {{first}}
            }
            node {
                nodeid: 2
                ring0_addr: {{second}}
            }
        }
        """;

    [Theory]
    [InlineData("1.5", "is not an IPv4 address: write all four parts in decimal")]
    [InlineData("10.1", "is not an IPv4 address: write all four parts in decimal")]
    [InlineData("167772161", "is not an IPv4 address: write all four parts in decimal")]
    [InlineData("010.1.0.1", "is not an IPv4 address: write all four parts in decimal")]
    [InlineData("0x0a.1.0.1", "is not an IPv4 address: write all four parts in decimal")]
    [InlineData("10.1.0.256", "is not an IPv4 address: write all four parts in decimal")]
    [InlineData("10.1.0.1.", "is not an IPv4 address: write all four parts in decimal")]
    [InlineData("0.0.0.0", "is the unspecified address")]
    [InlineData("0.1.2.3", "is the unspecified address")]
    [InlineData("::", "is the unspecified address")]
    [InlineData("255.255.255.255", "is the broadcast address")]
    [InlineData("224.0.0.1", "is a multicast address")]
    [InlineData("239.255.1.1", "is a multicast address")]
    [InlineData("ff02::1", "is a multicast address")]
    [InlineData("::ffff:224.0.0.1", "is a multicast address")]
    [InlineData("[::1]:5405", "is not an IPv6 address")]
    [InlineData("fe80::1%eth0", "is not an IPv6 address")]
    [InlineData("/dev/zero", "is neither an IP address nor a host name")]
    [InlineData("-bad-.example", "is neither an IP address nor a host name")]
    [InlineData("10.0.0.1x", "is not an IPv4 address: write all four parts in decimal")]
    public void Parse_UnusableNodeAddress_FailsAtItsLine(string address, string problem)
    {
        var text = NodesWith(address);

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, "ring0_addr: " + address), "node.ring0_addr"), (e.File, e.Line, e.Key));
        Assert.StartsWith($"'{address}' {problem}", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.1.0.1", "10.1.0.1")]
    [InlineData("0.1.0.1", null)]
    [InlineData("192.168.255.255", "192.168.255.255")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("fd00::1", "fd00::1")]
    [InlineData("::1", "::1")]
    [InlineData("localhost", null)]
    public void Parse_UsableNodeAddress_IsTaken(string address, string? expected)
    {
        if (expected is null && address != "localhost")
        {
            Fails(NodesWith(address));
            return;
        }

        var config = Parse(NodesWith(address));

        var taken = config.Nodes.Nodes[0].Links[0]!.Address;
        Assert.Equal(expected is null ? IPAddress.Loopback : IPAddress.Parse(expected), taken.IsIPv4MappedToIPv6 ? taken.MapToIPv4() : taken);
    }

    [Fact]
    public void Parse_TwoNodesWithTheSameAddress_FailsAtTheSecond()
    {
        var text = NodesWith("10.1.0.1", "10.1.0.1");

        var e = Fails(text);

        Assert.Equal((FileName, 8, "node.ring0_addr"), (e.File, e.Line, e.Key));
        Assert.Equal("address 10.1.0.1 is already used by node node1", e.Problem);
    }

    [Fact]
    public void Parse_AddressOfAnotherNodesSecondLink_Fails()
    {
        var text = NodesWith("10.1.0.1\n        ring1_addr: 10.2.0.1", "10.2.0.1");

        var e = Fails(text);

        Assert.Equal("node.ring0_addr", e.Key);
        Assert.Equal("address 10.2.0.1 is already used by node node1", e.Problem);
    }

    [Fact]
    public void Parse_TwoLinksOfOneNodeOnTheSameAddressAndPort_Fails()
    {
        var e = Fails(NodesWith("10.1.0.1\n        ring1_addr: 10.1.0.1"));

        Assert.Equal(("node.ring1_addr", "address 10.1.0.1 is already used by another link of this node"), (e.Key, e.Problem));
    }

    [Theory]
    [InlineData("cluster_name: a\u0000b", "totem.cluster_name")]
    [InlineData("cluster_name: a\u0001b", "totem.cluster_name")]
    public void Parse_ControlCharacterInValue_FailsAtItsLine(string line, string key)
    {
        var e = Fails($"totem {{\n    {line}\n}}\n" + TwoNodes);

        Assert.Equal((2, key.Split('.')[1], "the value contains a control character"), (e.Line, e.Key, e.Problem));
    }

    [Fact]
    public void Parse_AdminSocketOf107Bytes_IsTakenAnd108Fails()
    {
        var fits = "/run/" + new string('s', 102);
        var tooLong = fits + "s";

        Assert.Equal(fits, Parse(TwoNodes + $"\nclusterd {{\n    admin_socket: {fits}\n}}\n").ClusterD.AdminSocket);
        var e = Fails(TwoNodes + $"\nclusterd {{\n    admin_socket: {tooLong}\n}}\n");
        Assert.Equal(("clusterd.admin_socket", "the path has 108 bytes; at most 107 are possible here"), (e.Key, e.Problem));
    }

    [Theory]
    [InlineData("state_dir")]
    [InlineData("authkey")]
    [InlineData("authkey_accept")]
    public void Parse_PathLongerThanPathMax_Fails(string key)
    {
        var e = Fails(TwoNodes + $"\nclusterd {{\n    {key}: /{new string('p', 4095)}\n}}\n");

        Assert.Equal(($"clusterd.{key}", "the path has 4096 bytes; at most 4095 are possible here"), (e.Key, e.Problem));
    }

    [Theory]
    [InlineData("authkey_accept: relative", "'relative' must be an absolute path")]
    [InlineData("authkey_accept:", "has no value")]
    public void Parse_AcceptedKeyPathNotAbsolute_Fails(string line, string problem)
    {
        var text = TwoNodes + $"\nclusterd {{\n    authkey_accept: /etc/clusterd/old\n    {line}\n}}\n";

        var e = Fails(text);

        Assert.Equal((TwoNodes.Split('\n').Length + 3, "clusterd.authkey_accept", problem), (e.Line, e.Key, e.Problem));
    }
}
