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
        var sizes = new List<int>();
        await using var n2 = cluster.Node(2, n =>
        {
            n.Handle("block", _ =>
            {
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
        await using var n1 = cluster.Node(1);
        try
        {
            await UntilConnected(n1, 1, n2, 2);
            await n1.SendAsync(2, "block", new byte[1], Ct);

            // Messages of 256 KiB each go out alone; enough of them to fill the socket buffers while node 2 reads nothing.
            const int Fills = 64;
            var fill = new byte[256 * 1024];
            for (var i = 0; i < Fills; i++)
            {
                await n1.SendAsync(2, "data", fill, Ct);
            }

            await UntilSteady(() => n1.Link(2).FramesOut, TimeSpan.FromMilliseconds(300), "node 1's write loop stalled");
            Assert.True(n1.Link(2).QueueDepth > 0, $"node 1 should still hold queued messages: {n1.Describe()}");

            await n1.SendAsync(2, "data", new byte[1024], Ct);
            await n1.SendAsync(2, "data", new byte[(1 << 20) - 64], Ct);
            gate.Set();

            await Until(() => Count(sizes) == Fills + 2 || n2.Link(1).Rejects.Count > 0, "node 2 received everything or refused a frame",
                Patience, () => $"{Count(sizes)} received; [1] {n1.Describe()} | [2] {n2.Describe()}");
            Assert.Empty(n2.Link(1).Rejects);
            Assert.Equal(0, n1.Link(2).Reconnects);
            lock (sizes)
            {
                Assert.Equal([.. Enumerable.Repeat(fill.Length, Fills), 1024, (1 << 20) - 64], sizes);
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
    public async Task RawPeer_DataFrameInTheSameSegmentAsItsHello_IsDeliveredAfterTheHandshake()
    {
        // The node reads the Hello and the frame behind it in one read: the frame must reach the session's receiver.
        var cluster = new PeerCluster(1, 2);
        var at2 = new SequenceRecorder(expectedFrom: 1);
        await using var n2 = cluster.Node(2, n => n.Handle("seq", at2.Handle));
        await using var raw = await RawPeer.HandshakeAsync(cluster.Address(2), 1, 2, cluster.Ring,
            firstData: [.. Delimited(OneWay(0)), .. Delimited(OneWay(1))]);

        await Until(() => at2.Count == 2, "node 2 received both messages sent with the Hello", diagnostics: n2.Describe);
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

/// <summary>A hand-rolled peer: does the real handshake with the cluster key, then writes whatever Data frames a test wants.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly FrameWriter _writer;
    private readonly FrameProtection _session;

    private RawPeer(Socket socket, FrameWriter writer, FrameProtection session)
    {
        _socket = socket;
        _writer = writer;
        _session = session;
    }

    /// <param name="firstData">When set: waits for the node's Hello, then sends its own Hello and a Data frame with this body in one send.</param>
    public static async Task<RawPeer> HandshakeAsync(IPEndPoint target, uint localNode, uint peerNode, AuthKeyRing ring, byte[]? firstData = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target, PeerFixture.Ct);
            var myNonce = RandomNumberGenerator.GetBytes(SessionKeys.NonceBytes);
            var hello = new Hello
            {
                ProtocolVersion = 1,
                ClusterName = PeerFixture.ClusterName,
                NodeId = localNode,
                Incarnation = 1000 + localNode,
                ExpectedPeer = peerNode,
                Nonce = ByteString.CopyFrom(myNonce),
                MaxFrameBytes = 1 << 20,
            };
            var writer = new FrameWriter();
            var output = new ArrayBufferWriter<byte>();
            using (var longTerm = SessionKeys.HelloProtection(ring.Sending))
            {
                writer.WriteHello(output, hello.ToByteArray(), longTerm);
            }

            if (firstData is null)
            {
                await socket.SendAsync(output.WrittenMemory, SocketFlags.None, PeerFixture.Ct);
            }

            var theirs = await ReadHelloAsync(socket, ring);
            writer.Session = SessionKeys.ForDirection(ring.Sending, myNonce, theirs.Nonce.Span, localNode, peerNode, encrypt: false);
            if (firstData is not null)
            {
                writer.Write(output, FrameType.Data, firstData);
                await socket.SendAsync(output.WrittenMemory, SocketFlags.None, PeerFixture.Ct);
            }

            return new RawPeer(socket, writer, writer.Session);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendDataAsync(byte[] body)
    {
        var output = new ArrayBufferWriter<byte>();
        _writer.Write(output, FrameType.Data, body);
        await _socket.SendAsync(output.WrittenMemory, SocketFlags.None, PeerFixture.Ct);
    }

    /// <summary>Reads (and drops the node's pings) until the node closes or resets the connection; true then.</summary>
    public async Task<bool> ReadUntilClosedAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, PeerFixture.Ct) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset: closed too.
        }

        return true;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _session.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<Hello> ReadHelloAsync(Socket socket, AuthKeyRing ring)
    {
        var reader = new FrameReader(1 << 20, id => ring.TryGet(id, out var key) ? SessionKeys.HelloProtection(key) : null);
        var received = new ArrayBufferWriter<byte>();
        while (true)
        {
            var n = await socket.ReceiveAsync(received.GetMemory(4096), SocketFlags.None, PeerFixture.Ct);
            Assert.True(n > 0, "the node closed the connection during the handshake");
            received.Advance(n);
            var buffer = new ReadOnlySequence<byte>(received.WrittenMemory);
            if (reader.TryRead(ref buffer, out var frame, out var error))
            {
                Assert.Equal(FrameType.Hello, frame.Type);
                return Hello.Parser.ParseFrom(frame.Body.Span);
            }

            Assert.Equal(FrameError.None, error);
        }
    }
}
