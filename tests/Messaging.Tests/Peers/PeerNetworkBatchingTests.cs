using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;
using ClusterD.Messaging.Wire;
using Google.Protobuf;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>Data frames carry one or more varint-delimited messages: what a sender coalesces and what a receiver accepts.</summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkBatchingTests
{
    [Fact]
    public async Task SendAsync_LargeMessageQueuedBehindASmallOne_FitsThePeersMaxBodyAndArrives()
    {
        // A message that fits MaxBody alone must not be coalesced with what is queued before it into a frame above MaxBody.
        var cluster = new PeerCluster(1, 2);
        using var gate = new ManualResetEventSlim();
        using var held = new ManualResetEventSlim();
        var sizes = new List<int>();
        await using var n2 = cluster.Node(2, n =>
        {
            // Handlers run on the session's receive thread: while this one waits, node 2 reads nothing.
            n.Handle("block", _ =>
            {
                held.Set();
                gate.Wait(TimeSpan.FromSeconds(60));
                return default;
            });
            n.Handle("data", m =>
            {
                lock (sizes)
                {
                    sizes.Add(m.Payload.Length);
                }

                return default;
            });
        });

        // Room for all of it in node 1's queue: this is about batching, not the byte bound.
        await using var n1 = cluster.Node(1, tune: o => o with { QueueBytes = 64 << 20 });
        try
        {
            await UntilConnected(n1, 1, n2, 2);
            // The fills only queue once node 2's receive thread is held: the blocking message is sent (again,
            // should it have gone out on a connection that was then replaced) until its handler runs.
            for (var attempt = 0; attempt < 5 && !held.IsSet; attempt++)
            {
                await n1.SendAsync(2, "block", new byte[1], Ct);
                held.Wait(TimeSpan.FromSeconds(2), Ct);
            }

            Assert.True(held.IsSet, $"node 2 never ran the blocking handler: {n1.Describe()}");

            // Messages of 256 KiB each go out alone, in rounds, until the socket buffers are full and node 1 holds some
            // queued: how much the kernel absorbs while node 2's handler blocks varies with its buffer tuning and load.
            const int Round = 16, MaxFills = 12 * Round;
            var fill = new byte[256 * 1024];
            var fills = 0;
            do
            {
                for (var i = 0; i < Round; i++, fills++)
                {
                    await n1.SendAsync(2, "data", fill, Ct);
                }

                await UntilSteady(() => n1.Link(2).FramesOut, TimeSpan.FromMilliseconds(300), "node 1's write loop stalled");
            }
            while (n1.Link(2).QueueDepth == 0 && fills < MaxFills);

            Assert.True(n1.Link(2).QueueDepth > 0, $"node 1 should still hold queued messages after {fills} fills: {n1.Describe()}");

            await n1.SendAsync(2, "data", new byte[1024], Ct);
            await n1.SendAsync(2, "data", new byte[(1 << 20) - 64], Ct);
            gate.Set();

            await Until(() => Count(sizes) == fills + 2 || n2.Link(1).Rejects.Count > 0, "node 2 received everything or refused a frame",
                Patience, () => $"{Count(sizes)} received; [1] {n1.Describe()} | [2] {n2.Describe()}");
            Assert.Empty(n2.Link(1).Rejects);
            Assert.Equal(0, n1.Link(2).Reconnects);
            lock (sizes)
            {
                Assert.Equal([.. Enumerable.Repeat(fill.Length, fills), 1024, (1 << 20) - 64], sizes);
            }
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task RawPeer_TwoMessagesInOneDataFrame_AreDeliveredInOrder()
    {
        var cluster = new PeerCluster(1, 2);
        var at2 = new SequenceRecorder(expectedFrom: 1);
        await using var n2 = cluster.Node(2, n => n.Handle("seq", at2.Handle));
        await using var raw = await RawPeer.HandshakeAsync(cluster.Address(2), 1, 2, cluster.Ring);
        await Until(() => n2.Link(1).Connected, "node 2 adopted the raw peer's session", diagnostics: n2.Describe);

        await raw.SendDataAsync([.. Delimited(OneWay(0)), .. Delimited(OneWay(1))]);

        await Until(() => at2.Count == 2, "node 2 received both messages", diagnostics: n2.Describe);
        at2.AssertExactlyInOrder(2);
        Assert.Empty(n2.Link(1).Rejects);
    }

    [Fact]
    public async Task RawPeer_DataFrameInTheSameSegmentAsItsFinished_IsDeliveredAfterTheHandshake()
    {
        // The node reads the Finished and the frame behind it in one read: the frame must reach the session's receiver.
        var cluster = new PeerCluster(1, 2);
        var at2 = new SequenceRecorder(expectedFrom: 1);
        await using var n2 = cluster.Node(2, n => n.Handle("seq", at2.Handle));
        await using var raw = await RawPeer.HandshakeAsync(cluster.Address(2), 1, 2, cluster.Ring,
            firstData: [.. Delimited(OneWay(0)), .. Delimited(OneWay(1))]);

        await Until(() => at2.Count == 2, "node 2 received both messages sent with the Finished", diagnostics: n2.Describe);
        at2.AssertExactlyInOrder(2);
        Assert.Empty(n2.Link(1).Rejects);

        await raw.SendDataAsync([.. Delimited(OneWay(2))]);
        await Until(() => at2.Count == 3, "node 2 received the message sent after", diagnostics: n2.Describe);
        at2.AssertExactlyInOrder(3);
    }

    [Theory]
    [InlineData("FFFFFFFF07", "length int.MaxValue: prefix + length overflows")]
    [InlineData("0501", "length 5, 1 byte left")]
    [InlineData("8080808080", "varint longer than 5 bytes")]
    [InlineData("00", "empty message: kind unspecified")]
    public async Task RawPeer_MalformedDataBody_IsRefusedAsBadBodyAndTheSessionCloses(string bodyHex, string why)
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n => n.Handle("seq", _ => default));
        await using var raw = await RawPeer.HandshakeAsync(cluster.Address(2), 1, 2, cluster.Ring);
        await Until(() => n2.Link(1).Connected, "node 2 adopted the raw peer's session", diagnostics: n2.Describe);

        await raw.SendDataAsync(Convert.FromHexString(bodyHex));

        await Until(() => n2.Link(1).Rejected("bad_body") == 1, $"node 2 refused the frame ({why})", TimeSpan.FromSeconds(5), n2.Describe);
        Assert.True(await raw.ReadUntilClosedAsync().WaitAsync(Patience, Ct), "node 2 should close the session");
        await Until(() => !n2.Link(1).Connected, "node 2 dropped the session", diagnostics: n2.Describe);
    }

    private static int Count(List<int> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static PeerMessage OneWay(long n) => new() { Kind = PeerMessage.Types.Kind.OneWay, Topic = "seq", Payload = ByteString.CopyFrom(Number(n)) };

    private static byte[] Delimited(PeerMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteDelimitedTo(stream);
        return stream.ToArray();
    }
}
