using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>What a PeerNetwork refuses: a session whose sides disagree on the cipher, a wrong key, hostile bytes on its listener.</summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkSecurityTests
{
    [Fact]
    public async Task Cipher_SidesDisagree_NeverConnectsAndBothSayWhy()
    {
        // The cipher is in the Hello (and in the session key derivation): a node with crypto_cipher none and
        // one with aes256 refuse each other at the handshake with a reason that names both settings.
        var cluster = new PeerCluster(1, 2);
        var delivered = 0;
        await using var n2 = cluster.Node(2, n => n.Handle("seq", _ =>
        {
            Interlocked.Increment(ref delivered);
            return default;
        }), encrypt: false);
        await using var n1 = cluster.Node(1, encrypt: true);

        await Until(() => n1.Link(2).LastError is { } e && e.Contains("crypto_cipher none", StringComparison.Ordinal)
            && n2.Refusals.GetValueOrDefault("cipher_mismatch") >= 1, "both nodes report the cipher mismatch",
            ReconnectPatience, () => $"[1] {n1.Describe()} | [2] {n2.Describe()} refusals {string.Join(",", n2.Refusals)}");
        Assert.Contains("this node aes256", n1.Link(2).LastError, StringComparison.Ordinal);
        Assert.False(n1.Link(2).Connected || n2.Link(1).Connected, "no session on either side");
        Assert.Equal(0, Volatile.Read(ref delivered));
        Assert.Equal(0UL, n2.Link(1).PeerIncarnation);
    }

    [Theory]
    [InlineData((byte)1, "BadTag")]
    [InlineData((byte)9, "UnknownKey")]
    public async Task Handshake_PeerHasAnotherKey_NeverConnectsAndReportsWhy(byte otherKeyId, string reason)
    {
        var cluster = new PeerCluster(1, 2);
        var delivered = 0;
        var otherRing = new AuthKeyRing(AuthKey.Generate(otherKeyId), []);
        await using var n2 = cluster.Node(2, n => n.Handle("seq", _ =>
        {
            Interlocked.Increment(ref delivered);
            return default;
        }), ring: otherRing);
        await using var n1 = cluster.Node(1);

        await Until(() => n1.Link(2).LastError is { } e && e.Contains(reason, StringComparison.Ordinal), $"node 1 reports {reason}",
            diagnostics: n1.Describe);
        await Throughout(TimeSpan.FromSeconds(1), () => !n1.Link(2).Connected && !n2.Link(1).Connected, "no session on either side",
            () => $"[1] {n1.Describe()} | [2] {n2.Describe()}");

        var e = await Assert.ThrowsAsync<PeerUnavailableException>(() => n1.SendAsync(2, "seq", Number(1), Ct).AsTask());
        Assert.Contains($"bad Hello: {reason}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"bad Hello: {reason}", n1.Link(2).LastError, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref delivered));
        Assert.Equal(0UL, n1.Link(2).PeerIncarnation);
        Assert.Equal(0UL, n2.Link(1).PeerIncarnation);
        Assert.Equal(0, n1.Link(2).FramesIn);
        Assert.Equal(0, n2.Link(1).FramesIn);
    }

    [Fact]
    public async Task Listener_GarbageAndHugeLengthPrefixes_NodeKeepsServingRealPeers()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, EchoHandler));
        using var garbage = await Connect(cluster, 2);
        using var hugeHeader = await Connect(cluster, 2);
        using var staller = await Connect(cluster, 2);
        var stallStarted = Stopwatch.GetTimestamp();
        var noise = new byte[64 * 1024];
        new Random(5406).NextBytes(noise);

        // A whole header claiming 0xFFFFFFF0 bytes: refused as oversized before anything is buffered.
        var header = new byte[FrameCodecHeader];
        BinaryPrimitives.WriteUInt32BigEndian(header, 0xFFFFFFF0);
        header[4] = 1;
        header[5] = 1;
        header[6] = 1;
        await SendIgnoringReset(hugeHeader, header);

        // Only the 4-byte prefix, then nothing: the handshake waits for a header until its timeout.
        await SendIgnoringReset(staller, header.AsMemory(0, 4));
        await SendIgnoringReset(garbage, noise);

        var fromGarbage = await ReadUntilClosed(garbage).WaitAsync(Patience, Ct);
        var fromHugeHeader = await ReadUntilClosed(hugeHeader).WaitAsync(Patience, Ct);
        Assert.True(fromGarbage > 0 && fromHugeHeader > 0, "node 2 sends its Hello first, then drops the connection");

        var stallerClosed = ReadUntilClosed(staller);
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);
        Assert.Equal(Echoed(1, "still here"u8.ToArray()), await n1.RequestAsync(2, Echo, "still here"u8.ToArray(), TimeSpan.FromSeconds(5), Ct));
        Assert.False(stallerClosed.IsCompleted, "the stalled handshake should still be waiting while node 1 connected");

        await stallerClosed.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var stalledFor = Stopwatch.GetElapsedTime(stallStarted);
        Assert.InRange(stalledFor, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(12));
        Assert.Equal(Echoed(1, "after"u8.ToArray()), await n1.RequestAsync(2, Echo, "after"u8.ToArray(), TimeSpan.FromSeconds(5), Ct));
        Assert.Empty(n2.Link(1).Rejects);
        Assert.Equal(0, n2.Link(1).Reconnects);
    }

    private const int FrameCodecHeader = ClusterD.Messaging.Framing.FrameCodec.HeaderSize;

    private static async Task<Socket> Connect(PeerCluster cluster, uint node)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(cluster.Address(node), Ct);
        return socket;
    }

    private static async Task SendIgnoringReset(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            while (bytes.Length > 0)
            {
                var sent = await socket.SendAsync(bytes, SocketFlags.None, Ct);
                bytes = bytes[sent..];
            }
        }
        catch (SocketException)
        {
            // The node may reset the connection before it has read everything.
        }
    }

    /// <summary>Reads until the node closes (0 bytes) or resets the connection; returns how many bytes came.</summary>
    private static async Task<long> ReadUntilClosed(Socket socket)
    {
        var buffer = new byte[4096];
        long total = 0;
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, Ct) is var n && n > 0)
            {
                total += n;
            }
        }
        catch (SocketException)
        {
            // Reset: closed too.
        }

        return total;
    }
}
