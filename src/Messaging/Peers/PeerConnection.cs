using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Security;
using ClusterD.Messaging.Wire;
using Google.Protobuf;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// One authenticated TCP session with one peer, on System.IO.Pipelines: a read loop that verifies
/// and dispatches frames in order, and a write loop that drains a bounded queue and flushes once
/// per batch. Closes once, with a recorded reason; any bad frame closes it.
/// </summary>
public sealed partial class PeerConnection : IAsyncDisposable
{
    /// <summary>Messages a sender may queue on one link before <see cref="SendAsync"/> waits (back-pressure).</summary>
    public const int QueueCapacity = 8192;

    /// <summary>Flush early inside a batch once this much is buffered, so a long batch does not hold the first frame back.</summary>
    private const int FlushThreshold = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly FrameReader _reader;
    private readonly FrameWriter _writer = new();
    private readonly Channel<Outgoing> _queue;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _closeGate = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Largest coalesced Data frame body; a single larger message still goes alone.</summary>
    private const int BatchBytes = 32 * 1024;

    /// <summary>
    /// A send at least this long after the previous one finds the link idle and is written at once by
    /// the sender, saving the wake-up of the write loop (a thread-pool hop each way of a round trip);
    /// sends closer together go through the queue and are coalesced.
    /// </summary>
    private static readonly long IdleGap = Stopwatch.Frequency / 20_000;

    /// <summary>Owns <see cref="_output"/>, <see cref="_bodyBuffer"/> and the frame writer: held by the write loop per batch or by a sender writing directly.</summary>
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _lastSend;
    private byte[] _bodyBuffer = new byte[BatchBytes + 1024];
    private int _batchLength;
    private IPeerConnectionOwner? _owner;
    private SocketReceiver? _receiver;
    private int _disposed;
    private Task _loops = Task.CompletedTask;

    private PeerConnection(Socket socket, int maxBody, Func<byte, FrameProtection.Hmac?> helloKeys)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        _reader = new FrameReader(maxBody, helloKeys);
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public uint PeerNode { get; private set; }

    public ulong PeerIncarnation { get; private set; }

    public System.Net.EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;

    public long FramesIn => _reader.FramesRead;

    public long BytesIn => _reader.BytesRead;

    public long FramesOut => _writer.FramesWritten;

    public long BytesOut => _writer.BytesWritten;

    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Smoothed RTT from ping/pong frames (RFC 6298 SRTT), null before the first pong.</summary>
    public TimeSpan? Rtt { get; private set; }

    /// <summary>Completes with the reason once the session is closed.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Exchanges Hellos on a connected socket and derives the session keys.</summary>
    /// <param name="expectedPeer">The node dialled, or 0 when accepting.</param>
    public static async Task<PeerConnection> HandshakeAsync(Socket socket, HandshakeOptions options, uint expectedPeer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        var keys = options.Keys();
        var connection = new PeerConnection(socket, options.MaxBody,
            id => keys.TryGet(id, out var key) ? SessionKeys.HelloProtection(key) : null);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.HandshakeTimeout);
            var myNonce = RandomNumberGenerator.GetBytes(SessionKeys.NonceBytes);
            var hello = new Hello
            {
                ProtocolVersion = 1,
                ClusterName = options.ClusterName,
                NodeId = options.LocalNode,
                Incarnation = options.Incarnation,
                ExpectedPeer = expectedPeer,
                Nonce = ByteString.CopyFrom(myNonce),
                MaxFrameBytes = (uint)options.MaxBody,
            };
            using (var helloProtection = SessionKeys.HelloProtection(keys.Sending))
            {
                connection._writer.WriteHello(connection._output, hello.ToByteArray(), helloProtection);
            }

            await connection._output.FlushAsync(timeout.Token);
            var (theirs, theirKeyId) = await connection.ReadHelloAsync(timeout.Token);
            var problem = Validate(theirs, options, expectedPeer);
            if (problem is not null)
            {
                throw new PeerHandshakeException(problem);
            }

            keys.TryGet(theirKeyId, out var theirKey);
            connection.PeerNode = theirs.NodeId;
            connection.PeerIncarnation = theirs.Incarnation;
            connection._writer.Session = SessionKeys.ForDirection(keys.Sending, myNonce, theirs.Nonce.Span, options.LocalNode, theirs.NodeId, options.Encrypt);
            connection._reader.Session = SessionKeys.ForDirection(theirKey, theirs.Nonce.Span, myNonce, theirs.NodeId, options.LocalNode, options.Encrypt);
            return connection;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or PeerHandshakeException or InvalidProtocolBufferException)
        {
            await connection.DisposeAsync();
            if (e is PeerHandshakeException)
            {
                throw;
            }

            throw new PeerHandshakeException(e is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"no Hello within {options.HandshakeTimeout.TotalSeconds} s"
                : e.Message, e);
        }
    }

    /// <summary>Starts the read and write loops; messages and the close go to <paramref name="owner"/>.</summary>
    /// <remarks>A session closed before it starts (the owner may dispose it at once) never starts its loops.</remarks>
    public void Start(IPeerConnectionOwner owner)
    {
        _owner = owner;
        lock (_closeGate)
        {
            if (_closed.Task.IsCompleted || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            // From here the session is received on a thread of its own; whatever the handshake read past the
            // peer's Hello is handed over first.
            var receiver = new SocketReceiver(_socket);
            var leftover = _input.TryRead(out var pending);
            receiver.Start(leftover ? pending.Buffer : default, $"peer {PeerNode} receive");
            if (leftover)
            {
                _input.AdvanceTo(pending.Buffer.End);
            }

            _receiver = receiver;
            _loops = Task.WhenAll(Task.Run(() => ReadLoopAsync(receiver.Reader)), Task.Run(WriteLoopAsync), receiver.Stopped);
        }
    }

    /// <summary>
    /// Sends a message: written at once when the link is idle, else queued, waiting while the queue is
    /// full (a slow peer slows its senders, never the memory: at most <see cref="QueueCapacity"/> queued
    /// messages plus the one being flushed).
    /// </summary>
    public ValueTask SendAsync(PeerMessage message, CancellationToken cancellationToken) =>
        TryWriteNow(message) ? default : _queue.Writer.WriteAsync(new Outgoing(FrameType.Data, message, 0), cancellationToken);

    /// <summary>Queues a message unless the queue is full.</summary>
    public bool TrySend(PeerMessage message) =>
        TryWriteNow(message) || _queue.Writer.TryWrite(new Outgoing(FrameType.Data, message, 0));

    public void SendPing(long timestamp) => _queue.Writer.TryWrite(new Outgoing(FrameType.Ping, null, timestamp));

    /// <summary>Closes the session once; later calls keep the first reason.</summary>
    public void Close(string reason)
    {
        lock (_closeGate)
        {
            if (!_closed.TrySetResult(reason))
            {
                return;
            }
        }

        _queue.Writer.TryComplete();
        _receiver?.Stop();
        _closing.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _owner?.OnClosed(this, reason);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close("disposed");
        Task loops;
        lock (_closeGate)
        {
            // Start either finished (its loops are awaited) or will see the session closed and not start them.
            loops = _loops;
        }

        try
        {
            await loops.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The loops already recorded why the session closed.
        }

        // A sender may still be writing directly; later ones see the session closed and never touch the pipe.
        await _writeLock.WaitAsync().ConfigureAwait(false);

        // Completing with an exception skips the final flush into a socket that is already shut down.
        if (_receiver is { } receiver)
        {
            await receiver.Reader.CompleteAsync(new OperationCanceledException("session closed"));
        }

        await _input.CompleteAsync(new OperationCanceledException("session closed"));
        await _output.CompleteAsync(new OperationCanceledException("session closed"));
        await _stream.DisposeAsync();
        _reader.Session?.Dispose();
        _writer.Session?.Dispose();
        _closing.Dispose();
    }

    private async Task<(Hello Hello, byte KeyId)> ReadHelloAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (FrameCodec.PeekHeader(buffer, _reader.MaxBody, out _, out var header) is var peekError && peekError != FrameError.None)
            {
                throw new PeerHandshakeException($"bad first frame: {peekError}");
            }

            if (_reader.TryRead(ref buffer, out var frame, out var error))
            {
                if (frame.Type != FrameType.Hello)
                {
                    throw new PeerHandshakeException($"first frame is {frame.Type}, not Hello");
                }

                // Parsed before advancing: the body may lie in the pipe's buffer.
                var hello = Hello.Parser.ParseFrom(frame.Body.Span);
                _input.AdvanceTo(buffer.Start);
                return (hello, header.KeyId);
            }

            if (error != FrameError.None)
            {
                throw new PeerHandshakeException($"bad Hello: {error}");
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new PeerHandshakeException("the peer closed the connection during the handshake");
            }
        }
    }

    private static string? Validate(Hello hello, HandshakeOptions options, uint expectedPeer)
    {
        if (hello.ProtocolVersion != 1)
        {
            return $"protocol version {hello.ProtocolVersion} is not supported";
        }

        if (hello.ClusterName != options.ClusterName)
        {
            return $"peer belongs to cluster '{hello.ClusterName}', not '{options.ClusterName}'";
        }

        if (expectedPeer != 0 && hello.NodeId != expectedPeer)
        {
            return $"dialled node {expectedPeer} but node {hello.NodeId} answered";
        }

        if (!options.IsKnownNode(hello.NodeId) || hello.NodeId == options.LocalNode)
        {
            return $"node {hello.NodeId} is not a peer in the nodelist";
        }

        if (hello.ExpectedPeer != 0 && hello.ExpectedPeer != options.LocalNode)
        {
            return $"peer dialled node {hello.ExpectedPeer}, this is node {options.LocalNode}";
        }

        if (hello.Nonce.Length != SessionKeys.NonceBytes || hello.Incarnation == 0)
        {
            return "malformed Hello";
        }

        return null;
    }

    private readonly record struct Outgoing(FrameType Type, PeerMessage? Message, long Timestamp);
}
