using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;
using ClusterD.Messaging.Wire;
using Google.Protobuf;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>A hand-rolled peer: does the real handshake with the cluster key (as the dialler), then writes whatever frames a test wants.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly FrameWriter _writer;

    private RawPeer(Socket socket, FrameWriter writer)
    {
        _socket = socket;
        _writer = writer;
    }

    public Socket Socket => _socket;

    /// <param name="firstData">When set: sent in one send with the Finished, as a Data frame with this body.</param>
    public static async Task<RawPeer> HandshakeAsync(
        IPEndPoint target, uint localNode, uint peerNode, AuthKeyRing ring, byte[]? firstData = null, MessagingCipher cipher = MessagingCipher.None)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target, PeerFixture.Ct);
            var myNonce = RandomNumberGenerator.GetBytes(SessionKeys.NonceBytes);
            var writer = new FrameWriter();
            var myHello = HelloFrame(writer, ring.Sending, Hello(localNode, peerNode, myNonce, cipher));
            await socket.SendAsync(myHello, SocketFlags.None, PeerFixture.Ct);

            var inbox = new FrameInbox(socket);
            var theirHello = await inbox.NextAsync();
            var theirs = Wire.Hello.Parser.ParseFrom(theirHello.AsSpan(FrameCodec.HeaderSize, theirHello.Length - FrameCodec.Overhead));
            writer.Session = SessionKeys.ForDirection(ring.Sending, myNonce, theirs.Nonce.Span, localNode, peerNode, cipher);
            var output = new ArrayBufferWriter<byte>();
            writer.Write(output, FrameType.Finished, PeerHandshake.Transcript(myHello, theirHello));
            if (firstData is not null)
            {
                writer.Write(output, FrameType.Data, firstData);
            }

            await socket.SendAsync(output.WrittenMemory, SocketFlags.None, PeerFixture.Ct);
            var theirFinished = await inbox.NextAsync();
            Assert.Equal((byte)FrameType.Finished, theirFinished[5]);
            return new RawPeer(socket, writer);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Hello Hello(uint node, uint expectedPeer, byte[] nonce, MessagingCipher cipher = MessagingCipher.None, ulong? incarnation = null) => new()
    {
        ProtocolVersion = PeerHandshake.ProtocolVersion,
        ClusterName = PeerFixture.ClusterName,
        NodeId = node,
        Incarnation = incarnation ?? 1000 + node,
        ExpectedPeer = expectedPeer,
        Nonce = ByteString.CopyFrom(nonce),
        MaxFrameBytes = 1 << 20,
        Cipher = cipher.Name(),
    };

    public static byte[] HelloFrame(FrameWriter writer, AuthKey key, Hello hello)
    {
        var output = new ArrayBufferWriter<byte>();
        using var longTerm = SessionKeys.HelloProtection(key);
        writer.WriteHello(output, hello.ToByteArray(), longTerm);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Splits a recorded byte stream into its frames (whole frames only).</summary>
    public static List<byte[]> Frames(ReadOnlySpan<byte> stream)
    {
        var frames = new List<byte[]>();
        while (stream.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(stream) + 4 is var size && size <= stream.Length)
        {
            frames.Add(stream[..(int)size].ToArray());
            stream = stream[(int)size..];
        }

        return frames;
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
        _writer.Session?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Reads whole frames, as sent, off a socket.</summary>
internal sealed class FrameInbox(Socket socket)
{
    private readonly ArrayBufferWriter<byte> _received = new();
    private int _consumed;

    public async Task<byte[]> NextAsync()
    {
        while (true)
        {
            var pending = _received.WrittenSpan[_consumed..];
            if (pending.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(pending) + 4 is var size && size <= pending.Length)
            {
                _consumed += (int)size;
                return pending[..(int)size].ToArray();
            }

            var n = await socket.ReceiveAsync(_received.GetMemory(4096), SocketFlags.None, PeerFixture.Ct);
            Assert.True(n > 0, "the node closed the connection during the handshake");
            _received.Advance(n);
        }
    }
}
