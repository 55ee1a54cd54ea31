using System.Net;
using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

public sealed class LocalNodeResolverTests
{
    private static readonly NodeList Nodes = new(
    [
        Node(1, "hadb01", "10.0.0.4"),
        Node(2, "hadb02", "10.0.0.5", "10.9.0.5"),
        Node(3, "hadb03.example.com", "10.0.0.6"),
    ]);

    private static readonly NodeList Loopback = new([Node(1, "hadb01", "127.0.0.11"), Node(2, "hadb02", "127.0.0.12")]);

    private static NodeConfig Node(uint id, string name, params string[] addresses) =>
        new(new NodeId(id), name, addresses.Select(a => (IPEndPoint?)new IPEndPoint(IPAddress.Parse(a), 5405)).ToArray(), 1);

    private static bool NothingLocal(IPAddress address) => false;

    private static Func<IPAddress, bool> LocalIs(params string[] addresses) =>
        a => addresses.Any(x => IPAddress.Parse(x).Equals(a));

    [Fact]
    public void Resolve_RequestedName_ReturnsThatNodeBeforeHostName()
    {
        var node = LocalNodeResolver.Resolve(Nodes, "hadb02", "hadb01", LocalIs("10.0.0.4"));

        Assert.Equal(new NodeId(2), node.Id);
    }

    [Fact]
    public void Resolve_RequestedId_ReturnsThatNode()
    {
        var node = LocalNodeResolver.Resolve(Nodes, "3", "hadb01", NothingLocal);

        Assert.Equal("hadb03.example.com", node.Name);
    }

    [Fact]
    public void Resolve_RequestedNameThatLooksLikeAnId_PrefersTheName()
    {
        var nodes = new NodeList([Node(1, "2", "10.0.0.4"), Node(2, "other", "10.0.0.5")]);

        var node = LocalNodeResolver.Resolve(nodes, "2", "x", NothingLocal);

        Assert.Equal(new NodeId(1), node.Id);
    }

    [Theory]
    [InlineData("hadb09")]
    [InlineData("9")]
    [InlineData("HADB01")]
    public void Resolve_RequestedUnknown_ThrowsListingNodes(string requested)
    {
        var e = Assert.Throws<ArgumentException>(() => LocalNodeResolver.Resolve(Nodes, requested, "hadb01", LocalIs("10.0.0.4")));

        Assert.Equal(
            $"--node {requested}: no such node in the nodelist (nodes: hadb01, hadb02, hadb03.example.com)",
            e.Message);
    }

    [Fact]
    public void Resolve_EmptyRequested_FallsBackToHostName()
    {
        var node = LocalNodeResolver.Resolve(Nodes, "", "hadb02", NothingLocal);

        Assert.Equal(new NodeId(2), node.Id);
    }

    [Fact]
    public void Resolve_HostNameMatches_ReturnsThatNodeEvenIfAnotherAddressIsLocal()
    {
        var node = LocalNodeResolver.Resolve(Nodes, null, "hadb02", LocalIs("10.0.0.4"));

        Assert.Equal(new NodeId(2), node.Id);
    }

    [Fact]
    public void Resolve_FqdnHostName_MatchesShortNodeName()
    {
        var node = LocalNodeResolver.Resolve(Nodes, null, "hadb01.example.com", NothingLocal);

        Assert.Equal(new NodeId(1), node.Id);
    }

    [Fact]
    public void Resolve_FqdnHostName_MatchesFullNodeName()
    {
        var node = LocalNodeResolver.Resolve(Nodes, null, "hadb03.example.com", NothingLocal);

        Assert.Equal(new NodeId(3), node.Id);
    }

    [Fact]
    public void Resolve_SingleLocalAddress_ReturnsThatNode()
    {
        var node = LocalNodeResolver.Resolve(Nodes, null, "vm-7", LocalIs("10.0.0.6"));

        Assert.Equal(new NodeId(3), node.Id);
    }

    [Fact]
    public void Resolve_LocalAddressOnSecondLink_ReturnsThatNode()
    {
        var node = LocalNodeResolver.Resolve(Nodes, null, "vm-7", LocalIs("10.9.0.5"));

        Assert.Equal(new NodeId(2), node.Id);
    }

    [Fact]
    public void Resolve_SeveralLocalAddresses_ThrowsAskingForNode()
    {
        var e = Assert.Throws<ArgumentException>(() => LocalNodeResolver.Resolve(Loopback, null, "laptop", IPAddress.IsLoopback));

        Assert.Equal("several nodes have local addresses (hadb01, hadb02): use --node NAME", e.Message);
    }

    [Fact]
    public void Resolve_NoNameAndNoLocalAddress_ThrowsNamingHostAndNodeOption()
    {
        var e = Assert.Throws<ArgumentException>(() => LocalNodeResolver.Resolve(Nodes, null, "vm-7", NothingLocal));

        Assert.Contains("'vm-7'", e.Message, StringComparison.Ordinal);
        Assert.Contains("use --node NAME", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LoopbackClusterWithNode_ReturnsRequested()
    {
        var node = LocalNodeResolver.Resolve(Loopback, "hadb02", "laptop", IPAddress.IsLoopback);

        Assert.Equal(new NodeId(2), node.Id);
    }

    [Theory]
    [InlineData("127.0.0.11")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void IsLocalAddress_Loopback_True(string address)
    {
        Assert.True(LocalNodeResolver.IsLocalAddress(IPAddress.Parse(address)));
    }

    [Fact]
    public void IsLocalAddress_DocumentationAddress_False()
    {
        // 203.0.113.0/24 (TEST-NET-3, RFC 5737) is never assigned to a real interface.
        Assert.False(LocalNodeResolver.IsLocalAddress(IPAddress.Parse("203.0.113.7")));
    }
}
