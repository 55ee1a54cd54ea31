using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

public sealed class NodeListTests
{
    private static readonly NodeList Nodes = new([Node(2, "hadb02"), Node(1, "hadb01")]);

    private static NodeConfig Node(uint id, string name) => new(new NodeId(id), name, [], 1);

    [Fact]
    public void NameOf_ConfiguredNode_IsItsName_UnknownNodeIsItsId()
    {
        Assert.Equal("hadb01", Nodes.NameOf(new NodeId(1)));
        Assert.Equal("hadb02", Nodes.NameOf(new NodeId(2)));
        Assert.Equal("7", Nodes.NameOf(new NodeId(7)));
    }

    [Fact]
    public void Contains_OnlyConfiguredIds_AndNodesAreSortedById()
    {
        Assert.True(Nodes.Contains(new NodeId(2)));
        Assert.False(Nodes.Contains(new NodeId(3)));
        Assert.Equal(["hadb01", "hadb02"], Nodes.Nodes.Select(n => n.Name));
    }
}
