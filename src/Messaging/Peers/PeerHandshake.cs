using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Security;
using ClusterD.Messaging.Wire;
using Google.Protobuf;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// Opens a link session on a connected socket. Each side sends its Hello (sequence 0, signed with the
/// long-term key: who it is, whom it dialled, a fresh nonce); derives both directions' session keys from
/// the cluster key and both nonces; sends Finished (sequence 1, under its session key) carrying the SHA-256
/// of the transcript (the dialler's Hello, then the acceptor's, as sent); and checks the peer's Finished.
/// A Hello proves nothing, since anyone can record and replay one; a Finished verifies only when its sender
/// holds the cluster key, saw this handshake's nonces and the same two Hellos. So a replayed, reflected or
/// spliced Hello never yields a session, and nothing about the peer is believed before its Finished.
/// </summary>
/// <remarks>
/// Bounded before authentication: one <see cref="BufferBytes"/> buffer, frames of at most
/// <see cref="MaxHelloBody"/> bytes of body (a longer length prefix is refused before anything is
/// buffered), and the handshake timeout. Nothing else is allocated per connection until it is confirmed.
/// </remarks>
internal static class PeerHandshake
{
    /// <summary>Protocol 2 added Finished; a node of protocol 1 and one of protocol 2 refuse each other with a clear reason.</summary>
    public const uint ProtocolVersion = 2;

    /// <summary>Largest Hello (and Finished) body accepted: a Hello with a 255-byte cluster name is about 330 bytes.</summary>
    public const int MaxHelloBody = 384;

    /// <summary>Room for the peer's Hello and Finished and whatever it sends right behind them.</summary>
    private const int BufferBytes = 1024;

    private static readonly byte[] TranscriptLabel = "clusterd handshake v2\0"u8.ToArray();

    /// <summary>Runs the handshake; on any failure the socket is disposed and a <see cref="PeerHandshakeException"/> says why.</summary>
    /// <param name="expectedPeer">The node dialled, or 0 when accepting.</param>
    public static async Task<HandshakeResult> RunAsync(Socket socket, HandshakeOptions options, uint expectedPeer, CancellationToken cancellationToken)
    {
        var keys = options.Keys();
        var reader = new FrameReader(options.MaxBody, id => keys.TryGet(id, out var key) ? SessionKeys.HelloProtection(key) : null);
        var writer = new FrameWriter();
        var inbox = new Inbox(socket);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            var myNonce = RandomNumberGenerator.GetBytes(SessionKeys.NonceBytes);
            var myHello = HelloFrame(writer, keys.Sending, new Hello
            {
                ProtocolVersion = ProtocolVersion,
                ClusterName = options.ClusterName,
                NodeId = options.LocalNode,
                Incarnation = options.Incarnation,
                ExpectedPeer = expectedPeer,
                Nonce = ByteString.CopyFrom(myNonce),
                MaxFrameBytes = (uint)options.MaxBody,
                Cipher = options.Cipher.Name(),
            });
            await SendAsync(socket, myHello, timeout.Token);

            var (helloFrame, helloSize) = await inbox.NextAsync(reader, HandshakeRefusal.BadHello, "Hello", timeout.Token);
            if (helloFrame.Type != FrameType.Hello)
            {
                throw new PeerHandshakeException(HandshakeRefusal.BadHello, $"first frame is {helloFrame.Type}, not Hello");
            }

            var theirs = Hello.Parser.ParseFrom(helloFrame.Body.Span);
            var theirHello = inbox.Take(helloSize);
            if (Validate(theirs, options, expectedPeer) is { } problem)
            {
                throw new PeerHandshakeException(problem.Refusal, problem.Message);
            }

            keys.TryGet(FrameKeyId(theirHello), out var theirKey);
            writer.Session = SessionKeys.ForDirection(keys.Sending, myNonce, theirs.Nonce.Span, options.LocalNode, theirs.NodeId, options.Cipher);
            reader.Session = SessionKeys.ForDirection(theirKey!, theirs.Nonce.Span, myNonce, theirs.NodeId, options.LocalNode, options.Cipher);
            var transcript = expectedPeer != 0 ? Transcript(myHello, theirHello) : Transcript(theirHello, myHello);
            var finished = new ArrayBufferWriter<byte>(FrameCodec.Overhead + transcript.Length);
            writer.Write(finished, FrameType.Finished, transcript);
            await SendAsync(socket, finished.WrittenMemory, timeout.Token);

            var (finishedFrame, finishedSize) = await inbox.NextAsync(reader, HandshakeRefusal.Unconfirmed, "Finished", timeout.Token);
            if (finishedFrame.Type != FrameType.Finished || !CryptographicOperations.FixedTimeEquals(finishedFrame.Body.Span, transcript))
            {
                throw new PeerHandshakeException(HandshakeRefusal.Unconfirmed,
                    finishedFrame.Type != FrameType.Finished ? $"{finishedFrame.Type} instead of Finished" : "Finished over another transcript");
            }

            inbox.Take(finishedSize);
            return new HandshakeResult(theirs.NodeId, theirs.Incarnation, reader, writer, inbox.Rest());
        }
        catch (Exception e)
        {
            reader.Session?.Dispose();
            writer.Session?.Dispose();
            socket.Dispose();
            throw e switch
            {
                PeerHandshakeException => e,
                OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                    new PeerHandshakeException(HandshakeRefusal.Timeout, $"no handshake within {options.HandshakeTimeout.TotalSeconds} s", e),
                OperationCanceledException => new PeerHandshakeException(HandshakeRefusal.Stopping, "this node is stopping", e),
                InvalidProtocolBufferException => new PeerHandshakeException(HandshakeRefusal.BadHello, $"malformed Hello: {e.Message}", e),
                SocketException or IOException or ObjectDisposedException =>
                    new PeerHandshakeException(HandshakeRefusal.Closed, $"connection lost during the handshake: {e.Message}", e),
                _ => e,
            };
        }
    }

    /// <summary>The SHA-256 both Finished frames carry: a label, then the dialler's and the acceptor's Hello frames as sent, each with its length.</summary>
    public static byte[] Transcript(ReadOnlySpan<byte> diallerHello, ReadOnlySpan<byte> acceptorHello)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(TranscriptLabel);
        Append(hash, diallerHello);
        Append(hash, acceptorHello);
        return hash.GetHashAndReset();

        static void Append(IncrementalHash hash, ReadOnlySpan<byte> hello)
        {
            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, hello.Length);
            hash.AppendData(length);
            hash.AppendData(hello);
        }
    }

    /// <summary>What is wrong with a verified Hello for this node, or null.</summary>
    internal static (HandshakeRefusal Refusal, string Message)? Validate(Hello hello, HandshakeOptions options, uint expectedPeer)
    {
        if (hello.ProtocolVersion != ProtocolVersion)
        {
            return (HandshakeRefusal.BadHello, $"protocol version {hello.ProtocolVersion} is not supported (this node speaks {ProtocolVersion})");
        }

        if (hello.Nonce.Length != SessionKeys.NonceBytes || hello.Incarnation == 0)
        {
            return (HandshakeRefusal.BadHello, "malformed Hello");
        }

        if (hello.ClusterName != options.ClusterName)
        {
            return (HandshakeRefusal.WrongPeer, $"peer belongs to cluster '{hello.ClusterName}', not '{options.ClusterName}'");
        }

        if (!options.IsKnownNode(hello.NodeId) || hello.NodeId == options.LocalNode)
        {
            return (HandshakeRefusal.WrongPeer, $"node {hello.NodeId} is not a peer in the nodelist");
        }

        // Roles are part of what is proved: the lower node id dials and names the node it dials; the acceptor
        // names nobody. So two accepted connections (or two dialled ones) can never be relayed into a session.
        if (expectedPeer != 0)
        {
            if (hello.NodeId != expectedPeer)
            {
                return (HandshakeRefusal.WrongPeer, $"dialled node {expectedPeer} but node {hello.NodeId} answered");
            }

            if (hello.ExpectedPeer != 0)
            {
                return (HandshakeRefusal.WrongPeer, $"node {hello.NodeId} answered as a dialler (for node {hello.ExpectedPeer})");
            }
        }
        else if (hello.ExpectedPeer != options.LocalNode)
        {
            return (HandshakeRefusal.WrongPeer, hello.ExpectedPeer == 0
                ? $"node {hello.NodeId} sent an acceptor's Hello to an acceptor"
                : $"peer dialled node {hello.ExpectedPeer}, this is node {options.LocalNode}");
        }
        else if (hello.NodeId > options.LocalNode)
        {
            return (HandshakeRefusal.WrongPeer, $"node {hello.NodeId} dialled node {options.LocalNode}, but the lower node id dials");
        }

        if (hello.Cipher != options.Cipher.Name())
        {
            return (HandshakeRefusal.CipherMismatch,
                $"node {hello.NodeId} uses crypto_cipher {(hello.Cipher.Length == 0 ? "(none given)" : hello.Cipher)}, this node {options.Cipher.Name()}");
        }

        return null;
    }

    private static byte[] HelloFrame(FrameWriter writer, AuthKey key, Hello hello)
    {
        var output = new ArrayBufferWriter<byte>(FrameCodec.Overhead + MaxHelloBody);
        using var protection = SessionKeys.HelloProtection(key);
        var body = hello.ToByteArray();
        if (body.Length > MaxHelloBody)
        {
            throw new ArgumentException($"the Hello is {body.Length} bytes, above the {MaxHelloBody}-byte limit (cluster name too long?)", nameof(hello));
        }

        writer.WriteHello(output, body, protection);
        return output.WrittenSpan.ToArray();
    }

    private static byte FrameKeyId(ReadOnlySpan<byte> frame) => frame[6];

    private static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None, cancellationToken)..];
        }
    }

    /// <summary>What the peer sent during the handshake, in one fixed buffer.</summary>
    private sealed class Inbox(Socket socket)
    {
        private readonly byte[] _buffer = new byte[BufferBytes];
        private int _filled;

        /// <summary>Reads until one whole frame (at most <see cref="MaxHelloBody"/> of body) is buffered and verifies it; its body is valid until <see cref="Take"/>.</summary>
        public async Task<(Frame Frame, int Size)> NextAsync(FrameReader reader, HandshakeRefusal refusal, string what, CancellationToken cancellationToken)
        {
            while (true)
            {
                var buffered = new ReadOnlySequence<byte>(_buffer, 0, _filled);
                var peek = FrameCodec.PeekHeader(buffered, MaxHelloBody, out var size, out _);
                if (peek != FrameError.None)
                {
                    throw new PeerHandshakeException(refusal, $"bad {what}: {peek}");
                }

                if (size > 0)
                {
                    return reader.TryRead(ref buffered, out var frame, out var error)
                        ? (frame, size)
                        : throw new PeerHandshakeException(refusal, $"bad {what}: {error}");
                }

                var received = await socket.ReceiveAsync(_buffer.AsMemory(_filled), SocketFlags.None, cancellationToken);
                if (received == 0)
                {
                    throw new PeerHandshakeException(HandshakeRefusal.Closed, "the peer closed the connection during the handshake");
                }

                _filled += received;
            }
        }

        /// <summary>Removes the first <paramref name="size"/> bytes (a frame just read) and returns them.</summary>
        public byte[] Take(int size)
        {
            var taken = _buffer[..size];
            Buffer.BlockCopy(_buffer, size, _buffer, 0, _filled - size);
            _filled -= size;
            return taken;
        }

        /// <summary>Whatever arrived behind the Finished: the session's first frames.</summary>
        public byte[] Rest() => _buffer[.._filled];
    }
}

/// <summary>A confirmed handshake: the peer, the per-direction framing state (sequence 1 done), and bytes already received behind it.</summary>
internal sealed record HandshakeResult(uint PeerNode, ulong PeerIncarnation, FrameReader Reader, FrameWriter Writer, byte[] Leftover);
