using System.Net;
using System.Net.Sockets;
using ClusterD.Messaging.Links;

namespace ClusterD.Messaging.Tests.Links;

/// <summary>The polled receive of a membership link, on real loopback UDP sockets.</summary>
public sealed class UdpDatagramLinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryReceive_NothingWaiting_IsNullAtOnce()
    {
        using var link = new UdpDatagramLink(0, new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Null(link.TryReceive(new byte[64]));
    }

    [Fact]
    public void TryReceive_AfterSelectSaysReadable_TakesEachDatagramInOrderThenNull()
    {
        using var link = new UdpDatagramLink(0, new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new UdpDatagramLink(1, new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(sender.TrySend([1, 2, 3], link.LocalEndPoint));
        Assert.True(sender.TrySend([4], link.LocalEndPoint));
        Assert.True(sender.TrySend([], link.LocalEndPoint));

        WaitReadable(link);
        var buffer = new byte[64];
        Assert.Equal(3, link.TryReceive(buffer));
        Assert.Equal([1, 2, 3], buffer[..3]);
        Assert.Equal(1, WaitAndReceive(link, buffer));
        Assert.Equal(4, buffer[0]);
        Assert.Equal(0, WaitAndReceive(link, buffer));
        Assert.Null(link.TryReceive(buffer));
    }

    [Fact]
    public void TryReceive_DatagramThatFillsOrExceedsTheBuffer_IsMinusOneAndTheNextOneStillComes()
    {
        using var link = new UdpDatagramLink(0, new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new UdpDatagramLink(1, new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(sender.TrySend(new byte[100], link.LocalEndPoint));
        Assert.True(sender.TrySend(new byte[10], link.LocalEndPoint));
        Assert.True(sender.TrySend([7, 7], link.LocalEndPoint));

        var buffer = new byte[10];
        Assert.Equal(-1, WaitAndReceive(link, buffer));
        Assert.Equal(-1, WaitAndReceive(link, buffer));
        Assert.Equal(2, WaitAndReceive(link, buffer));
    }

    private static int? WaitAndReceive(UdpDatagramLink link, byte[] buffer)
    {
        WaitReadable(link);
        return link.TryReceive(buffer);
    }

    private static void WaitReadable(UdpDatagramLink link)
    {
        var readable = new List<Socket> { link.Socket };
        Socket.Select(readable, null, null, Patience);
        Assert.Single(readable);
    }
}
