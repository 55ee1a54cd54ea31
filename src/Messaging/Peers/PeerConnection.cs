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
    private readonly PipeWriter _output;
    private readonly FrameReader _reader;
    private readonly FrameWriter _writer;
    private readonly SendBudget _budget;
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
    private volatile bool _dispatching;
    private Task _loops = Task.CompletedTask;

    /// <summary>Bytes the handshake received behind the peer's Finished: the session's first frames.</summary>
    private byte[] _leftover;

    private PeerConnection(Socket socket, HandshakeResult confirmed, long queueBytes)
    {
        _socket = socket;
        RemoteEndPoint = socket.RemoteEndPoint;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        _reader = confirmed.Reader;
        _writer = confirmed.Writer;
        _leftover = confirmed.Leftover;
        PeerNode = confirmed.PeerNode;
        PeerIncarnation = confirmed.PeerIncarnation;
        _budget = new SendBudget(queueBytes);
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public uint PeerNode { get; }

    public ulong PeerIncarnation { get; }

    /// <summary>The peer's address, as it was when the session opened (readable after the socket is gone).</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; }

    public long FramesIn => _reader.FramesRead;

    public long BytesIn => _reader.BytesRead;

    public long FramesOut => _writer.FramesWritten;

    public long BytesOut => _writer.BytesWritten;

    public int QueueDepth => _queue.Reader.Count;

    /// <summary>
    /// True while this node's receive thread is handling frames it read: then the peer is not silent, this
    /// node is busy (a handler that blocks stops all reading), and the silence check must not blame the peer.
    /// </summary>
    public bool IsDispatching => _dispatching;

    /// <summary>Smoothed RTT from ping/pong frames (RFC 6298 SRTT), null before the first pong.</summary>
    public TimeSpan? Rtt { get; private set; }

    /// <summary>Completes with the reason once the session is closed.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>
    /// Runs the handshake on a connected socket (<see cref="PeerHandshake"/>) and returns the confirmed
    /// session, not yet started; on failure the socket is disposed and a <see cref="PeerHandshakeException"/> says why.
    /// </summary>
    /// <param name="expectedPeer">The node dialled, or 0 when accepting.</param>
    public static async Task<PeerConnection> HandshakeAsync(Socket socket, HandshakeOptions options, uint expectedPeer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        var confirmed = await PeerHandshake.RunAsync(socket, options, expectedPeer, cancellationToken);
        return new PeerConnection(socket, confirmed, options.QueueBytes);
    }

    /// <summary>Starts the read and write loops; messages and the close go to <paramref name="owner"/>.</summary>
    /// <remarks>
    /// A session closed before it starts (the owner may dispose it at once) never starts its loops, and the
    /// owner is told of that close now: it came before the owner was known, so nobody else will tell it.
    /// </remarks>
    public void Start(IPeerConnectionOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _owner = owner;
        string? closedBefore = null;
        lock (_closeGate)
        {
            if (_closed.Task.IsCompleted || Volatile.Read(ref _disposed) != 0)
            {
                closedBefore = _closed.Task.IsCompleted ? _closed.Task.Result : "disposed before it started";
            }
            else
            {
                StartLoops();
            }
        }

        if (closedBefore is not null)
        {
            owner.OnClosed(this, closedBefore);
        }
    }

    /// <summary>From here the session is received on a thread of its own; whatever the handshake read past the peer's Finished is handed over first.</summary>
    private void StartLoops()
    {
        var receiver = new SocketReceiver(_socket);
        receiver.Start(new ReadOnlySequence<byte>(_leftover), $"peer {PeerNode} receive");
        _leftover = [];
        _receiver = receiver;
        _loops = Task.WhenAll(Task.Run(() => ReadLoopAsync(receiver.Reader)), Task.Run(WriteLoopAsync), receiver.Stopped);
    }

    /// <summary>
    /// Sends a message: written at once when the link is idle, else queued, waiting while the queue is full
    /// (a slow peer slows its senders, never the memory: at most <see cref="QueueCapacity"/> messages and
    /// <see cref="HandshakeOptions.QueueBytes"/> bytes queued, plus the frame being flushed).
    /// </summary>
    public ValueTask SendAsync(PeerMessage message, CancellationToken cancellationToken)
    {
        if (TryWriteNow(message))
        {
            return default;
        }

        var size = message.CalculateSize();
        if (_budget.TryTake(size))
        {
            if (_queue.Writer.TryWrite(new Outgoing(FrameType.Data, message, 0, size)))
            {
                return default;
            }

            _budget.Give(size);
        }

        return QueueAsync(message, size, cancellationToken);
    }

    /// <summary>Queues a message unless the queue is full (in messages or bytes).</summary>
    public bool TrySend(PeerMessage message)
    {
        if (TryWriteNow(message))
        {
            return true;
        }

        var size = message.CalculateSize();
        if (!_budget.TryTake(size))
        {
            return false;
        }

        if (_queue.Writer.TryWrite(new Outgoing(FrameType.Data, message, 0, size)))
        {
            return true;
        }

        _budget.Give(size);
        return false;
    }

    /// <summary>Bytes of messages queued and not yet taken by the write loop.</summary>
    public long QueuedBytes => _budget.Used;

    public void SendPing(long timestamp) => _queue.Writer.TryWrite(new Outgoing(FrameType.Ping, null, timestamp, 0));

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
        _budget.Close();
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

        await _output.CompleteAsync(new OperationCanceledException("session closed"));
        await _stream.DisposeAsync();
        _reader.Session?.Dispose();
        _writer.Session?.Dispose();
        _closing.Dispose();
    }

    private async ValueTask QueueAsync(PeerMessage message, int size, CancellationToken cancellationToken)
    {
        await _budget.TakeAsync(size, cancellationToken).ConfigureAwait(false);
        try
        {
            await _queue.Writer.WriteAsync(new Outgoing(FrameType.Data, message, 0, size), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _budget.Give(size);
            throw;
        }
    }

    /// <summary>A queued frame: a message (with its size, taken from the byte budget), or a ping/pong stamp.</summary>
    private readonly record struct Outgoing(FrameType Type, PeerMessage? Message, long Timestamp, int Size);
}
