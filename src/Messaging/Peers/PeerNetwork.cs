using System.Net;
using System.Net.Sockets;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Wire;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// Node-to-node messaging: one authenticated TCP session per pair of nodes (the lower node id dials,
/// falling back to the peer's next link address, with bounded exponential backoff), one-way
/// messages in FIFO order per session, requests with correlation ids and timeouts, and broadcast.
/// Delivery is at-most-once per session: when a session closes (peer crash, restart, cut), its queued
/// messages are dropped and its pending requests fail at once with <see cref="PeerUnavailableException"/>.
/// </summary>
public sealed partial class PeerNetwork : IPeerConnectionOwner, IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PingPeriod = TimeSpan.FromSeconds(1);

    /// <summary>A session that lasted this long resets the dial backoff; a shorter one counts as a failed attempt.</summary>
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(1);

    private readonly HandshakeOptions _options;
    private readonly IReadOnlyList<IPEndPoint> _listenOn;
    private readonly Dictionary<uint, PeerLink> _links;
    private readonly Dictionary<string, Func<IncomingMessage, ValueTask<byte[]?>>> _handlers = [];
    private Action<uint>? _sessionOpened;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Kept apart from <see cref="_stopping"/>, which is disposed: late handlers may still read it.</summary>
    private readonly CancellationToken _stoppingToken;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly HandshakeAdmission _admission;
    private readonly RefusalLog _refusals;
    private long _nextCorrelation;
    private int _disposed;

    public PeerNetwork(HandshakeOptions options, IEnumerable<PeerEndpoint> peers, IReadOnlyList<IPEndPoint> listenOn, TimeProvider time, ILogger logger)
    {
        _options = options;
        _listenOn = listenOn;
        _links = peers.ToDictionary(p => p.NodeId, p => new PeerLink(p));
        _time = time;
        _logger = logger;
        _stoppingToken = _stopping.Token;
        var peerAddresses = _links.Values.SelectMany(l => l.Endpoint.Addresses).Select(a => Normalize(a.Address)).ToHashSet();
        _admission = new HandshakeAdmission(options.MaxPendingHandshakes, options.MaxPendingHandshakesPerSource, peerAddresses.Contains);
        _refusals = new RefusalLog(logger, time);
    }

    /// <summary>Registers the handler of a topic (before <see cref="Start"/>). A request's handler returns the response payload.</summary>
    public void Handle(string topic, Func<IncomingMessage, ValueTask<byte[]?>> handler) => _handlers[topic] = handler;

    /// <summary>
    /// Registers what to do when a session with a peer opens, the first one or a new one after a reset (before
    /// <see cref="Start"/>). It runs before the session delivers its first message, so a handler that queues
    /// work keeps the order: "opened" first, then what came on it. Messages sent on a session that closed may
    /// have been lost with it; this is when to send again what the peer must know.
    /// </summary>
    public void HandleSessionOpened(Action<uint> handler) => _sessionOpened = handler;

    /// <summary>Binds the listeners (throws when an address cannot be bound) and starts accepting, dialling and pinging.</summary>
    public void Start()
    {
        foreach (var endpoint in _listenOn)
        {
            var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint);
            listener.Listen(512); // room for bursts (a reconnect storm, or junk) while the accept loop is busy
            _listeners.Add(listener);
            _loops.Add(AcceptLoopAsync(listener, _stoppingToken));
        }

        foreach (var link in _links.Values.Where(l => _options.LocalNode < l.Endpoint.NodeId))
        {
            _loops.Add(DialLoopAsync(link, _stoppingToken));
        }

        _loops.Add(PingLoopAsync(_stoppingToken));
    }

    /// <summary>Sends a one-way message; waits while the session's queue is full.</summary>
    public async ValueTask SendAsync(uint peer, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var connection = Connected(peer);
        var message = new PeerMessage { Kind = PeerMessage.Types.Kind.OneWay, Topic = topic, Payload = ByteString.CopyFrom(payload.Span) };
        CheckSize(message);
        try
        {
            await connection.SendAsync(message, cancellationToken);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            throw Unavailable(peer, connection);
        }
    }

    /// <summary>Sends a request and waits for its response, at most <paramref name="timeout"/>.</summary>
    public async Task<byte[]> RequestAsync(uint peer, string topic, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var link = LinkOf(peer);
        var connection = Connected(peer);
        var id = (ulong)Interlocked.Increment(ref _nextCorrelation);
        var pending = new Pending(new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously), connection);
        link.Pending[id] = pending;
        try
        {
            if (connection.Closed.IsCompleted)
            {
                throw Unavailable(peer, connection);
            }

            var message = new PeerMessage
            {
                Kind = PeerMessage.Types.Kind.Request,
                CorrelationId = id,
                Topic = topic,
                Payload = ByteString.CopyFrom(payload.Span),
            };
            CheckSize(message);
            try
            {
                await connection.SendAsync(message, cancellationToken);
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                throw Unavailable(peer, connection);
            }

            try
            {
                return await pending.Reply.Task.WaitAsync(timeout, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"node {peer} did not answer '{topic}' within {timeout.TotalMilliseconds} ms");
            }
        }
        finally
        {
            link.Pending.TryRemove(id, out _);
        }
    }

    /// <summary>Sends a one-way message to every listed peer that has a session; returns the peers it could not reach.</summary>
    public async Task<IReadOnlyList<uint>> BroadcastAsync(IEnumerable<uint> peers, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var missed = new List<uint>();
        foreach (var peer in peers.Where(p => p != _options.LocalNode))
        {
            try
            {
                await SendAsync(peer, topic, payload, cancellationToken);
            }
            catch (PeerUnavailableException)
            {
                missed.Add(peer);
            }
        }

        return missed;
    }

    /// <summary>A message must fit one frame body on the peer: refuse it here rather than have the peer close the session.</summary>
    private void CheckSize(PeerMessage message)
    {
        var size = message.CalculateSize();
        if (size + CodedOutputStream.ComputeLengthSize(size) > _options.MaxBody)
        {
            throw new ArgumentException($"a {size}-byte message does not fit one frame ({_options.MaxBody} bytes)", nameof(message));
        }
    }

    /// <summary>Closes the session with <paramref name="peer"/> (membership declared it lost): its pending requests fail now.</summary>
    public void Disconnect(uint peer, string reason) => LinkOf(peer).Current?.Close(reason);

    /// <summary>Incoming connections that did not become a session (garbage, wrong key or cluster, unknown node, unconfirmed, timeout, limits).</summary>
    public long RefusedSessions => _refusals.Total;

    /// <summary><see cref="RefusedSessions"/> by reason (<see cref="HandshakeRefusal"/> in snake_case).</summary>
    public IReadOnlyDictionary<string, long> Refusals => _refusals.Counts;

    /// <summary>Incoming connections in their handshake now.</summary>
    public int PendingHandshakes => _admission.Pending;

    public IReadOnlyList<PeerLinkStatus> Status() => _links.Values.OrderBy(l => l.Endpoint.NodeId).Select(l => l.Status()).ToArray();

    /// <summary>Stops listening and dialling and closes every session; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        foreach (var link in _links.Values)
        {
            if (link.Current is { } c)
            {
                try
                {
                    await c.DisposeAsync();
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    // Closing a broken session: nothing left to save.
                }
            }
        }

        await Task.WhenAll(_loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stopping.Dispose();
    }

    void IPeerConnectionOwner.OnMessage(PeerConnection connection, PeerMessage message)
    {
        var link = LinkOf(connection.PeerNode);
        if (message.Kind == PeerMessage.Types.Kind.Response)
        {
            if (link.Pending.TryGetValue(message.CorrelationId, out var pending))
            {
                if (message.Error.Length > 0)
                {
                    pending.Reply.TrySetException(new PeerRequestFailedException(connection.PeerNode, message.Topic, message.Error));
                }
                else
                {
                    pending.Reply.TrySetResult(message.Payload.ToByteArray());
                }
            }

            return;
        }

        var incoming = new IncomingMessage(connection.PeerNode, connection.PeerIncarnation, message.Topic, message.Payload.Memory,
            message.Kind == PeerMessage.Types.Kind.Request);
        if (!_handlers.TryGetValue(message.Topic, out var handler))
        {
            MessagingLog.NoHandler(_logger, message.Topic, connection.PeerNode);
            if (incoming.IsRequest)
            {
                connection.TrySend(Response(message, null, $"no handler for '{message.Topic}' on node {_options.LocalNode}"));
            }

            return;
        }

        var handled = Invoke(handler, incoming);
        if (incoming.IsRequest)
        {
            _ = RespondAsync(connection, message, handled);
        }
        else if (!handled.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(handled, message.Topic, connection.PeerNode);
        }
    }

    void IPeerConnectionOwner.OnRejected(PeerConnection connection, FrameError reason) =>
        LinkOf(connection.PeerNode).Rejects.AddOrUpdate(reason, 1, (_, n) => n + 1);

    void IPeerConnectionOwner.OnClosed(PeerConnection connection, string reason)
    {
        var link = LinkOf(connection.PeerNode);
        link.LastError = reason;
        link.Retire(connection);
        foreach (var (id, pending) in link.Pending)
        {
            if (ReferenceEquals(pending.SentOn, connection))
            {
                pending.Reply.TrySetException(new PeerUnavailableException($"link to node {connection.PeerNode} closed before the reply: {reason}"));
            }
        }

        // Release the socket, pipes and keys now, not at the next GC (off this read loop: disposal awaits it).
        _ = Task.Run(async () =>
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // Already broken.
            }
        });
        var expected = _stoppingToken.IsCancellationRequested || reason.StartsWith("replaced", StringComparison.Ordinal);
        MessagingLog.SessionClosed(_logger, link.Endpoint.Name, reason, expected ? LogLevel.Debug : LogLevel.Warning);
    }
}
