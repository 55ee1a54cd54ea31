using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ClusterD.Messaging.Wire;
using Google.Protobuf;

namespace ClusterD.Messaging.Peers;

public sealed partial class PeerNetwork
{
    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var source = socket.RemoteEndPoint is IPEndPoint remote ? Normalize(remote.Address) : IPAddress.None;
            if (_admission.TryEnter(source) is { } refusal)
            {
                // Closed before anything is read or allocated; a reset frees the kernel's state at once.
                _refusals.Refused(refusal, source.ToString(), refusal == HandshakeRefusal.TooManyFromSource
                    ? $"{_options.MaxPendingHandshakesPerSource} connections from this address are already in their handshake"
                    : $"{_options.MaxPendingHandshakes} connections are already in their handshake");
                Abort(socket);
                continue;
            }

            _ = AcceptOneAsync(socket, source, cancellationToken);
        }
    }

    private async Task AcceptOneAsync(Socket socket, IPAddress source, CancellationToken cancellationToken)
    {
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            socket.NoDelay = true;
            var connection = await PeerConnection.HandshakeAsync(socket, _options, expectedPeer: 0, cancellationToken);
            _admission.Leave(source);
            source = IPAddress.None;
            try
            {
                Adopt(connection);
            }
            catch (PeerUnavailableException e)
            {
                // A node the handshake accepted but this network has no link for (configuration mismatch).
                await connection.DisposeAsync();
                _refusals.Refused(HandshakeRefusal.WrongPeer, remote, e.Message);
            }
        }
        catch (PeerHandshakeException e)
        {
            _refusals.Refused(e.Refusal, remote, e.Message);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            _refusals.Refused(HandshakeRefusal.Closed, remote, e.Message);
        }
        finally
        {
            if (!source.Equals(IPAddress.None))
            {
                _admission.Leave(source);
            }
        }
    }

    /// <summary>Closes a connection with a reset (no lingering state), whatever state it is in.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }

        socket.Dispose();
    }

    /// <summary>The address a connection comes from as the nodelist writes it (an IPv4-mapped IPv6 address as IPv4).</summary>
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private async Task DialLoopAsync(PeerLink link, CancellationToken cancellationToken)
    {
        var backoff = MinBackoff;
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (link.Current is { } current)
            {
                var openedAt = _time.GetTimestamp();
                await current.Closed.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);

                // A session the peer closes right away (it refused us after the handshake) must not
                // turn into a tight redial loop: only a session that stayed up resets the backoff.
                if (_time.GetElapsedTime(openedAt) >= StableSession)
                {
                    backoff = MinBackoff;
                    continue;
                }
            }
            else
            {
                var index = attempt++ % link.Endpoint.Addresses.Count;
                var address = link.Endpoint.Addresses[index];
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    // Leave from this node's own address on the same link (ring0 to ring0), like the
                    // heartbeats, so the peer sees the link address and a firewall rule per link holds.
                    if (index < _listenOn.Count && _listenOn[index].AddressFamily == address.AddressFamily)
                    {
                        socket.Bind(new IPEndPoint(_listenOn[index].Address, 0));
                    }

                    using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        connectTimeout.CancelAfter(ConnectTimeout);
                        await socket.ConnectAsync(address, connectTimeout.Token);
                    }

                    if (Adopt(await PeerConnection.HandshakeAsync(socket, _options, link.Endpoint.NodeId, cancellationToken)))
                    {
                        continue;
                    }
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or PeerHandshakeException)
                {
                    socket.Dispose();
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }

                    link.LastError = $"{address}: {e.Message}";
                    MessagingLog.DialFailed(_logger, link.Endpoint.Name, address.ToString(), e.Message);
                }
            }

            // Exponential backoff with up to 25% jitter, so two nodes restarting together do not dial in lockstep.
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * backoff.TotalMilliseconds / 4);
            try
            {
                await Task.Delay(backoff + jitter, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    /// <summary>
    /// Pings every session each <see cref="PingPeriod"/> (the pongs give the RTT) and closes a session from
    /// which nothing at all arrived for <see cref="HandshakeOptions.SilenceLimit"/>: a peer that froze, or a
    /// connection that is half open (the peer's host vanished without a reset), cannot hold the link.
    /// </summary>
    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PingPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = _time.GetTimestamp();
                foreach (var link in _links.Values)
                {
                    if (link.Current is not { } session)
                    {
                        continue;
                    }

                    var silentFor = link.Silence(session, now, _time);
                    if (silentFor > _options.SilenceLimit)
                    {
                        MessagingLog.PeerSilent(_logger, link.Endpoint.Name, Math.Round(silentFor.TotalSeconds, 1));
                        session.Close($"nothing received for {silentFor.TotalSeconds:0.#} s (pings unanswered)");
                        continue;
                    }

                    session.SendPing(Stopwatch.GetTimestamp());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Makes a handshaken connection the peer's session; false (and disposed) when refused.</summary>
    private bool Adopt(PeerConnection connection)
    {
        var link = LinkOf(connection.PeerNode);
        if (_stoppingToken.IsCancellationRequested || !link.TryAdopt(connection, out var replaced))
        {
            var (refusal, reason) = _stoppingToken.IsCancellationRequested
                ? (HandshakeRefusal.Stopping, "this node is stopping")
                : (HandshakeRefusal.OlderIncarnation, $"session from incarnation {connection.PeerIncarnation}, older than {link.Incarnation}");
            link.LastError = reason;
            _refusals.Refused(refusal, link.Endpoint.Name, reason);
            _ = connection.DisposeAsync().AsTask();
            return false;
        }

        replaced?.Close($"replaced by a new session (incarnation {connection.PeerIncarnation})");

        // Read before Start: a session the peer closes at once may have its socket disposed right after.
        var remote = connection.RemoteEndPoint?.ToString() ?? "?";

        // The owner hears of the session before its first message; nothing slow may come between adopting
        // and starting it (a close in between would not reach this network: the connection has no owner yet).
        _sessionOpened?.Invoke(connection.PeerNode);
        connection.Start(this);
        MessagingLog.SessionOpened(_logger, link.Endpoint.Name, remote, connection.PeerIncarnation);
        return true;
    }

    private PeerLink LinkOf(uint peer) =>
        _links.TryGetValue(peer, out var link) ? link : throw new PeerUnavailableException($"node {peer} is not a peer in the nodelist");

    private PeerConnection Connected(uint peer)
    {
        var link = LinkOf(peer);
        return link.Current is { } c && !c.Closed.IsCompleted
            ? c
            : throw new PeerUnavailableException($"no link to node {peer} ({link.Endpoint.Name}){(link.LastError is { } e ? ": " + e : "")}");
    }

    private static PeerUnavailableException Unavailable(uint peer, PeerConnection connection) =>
        new($"link to node {peer} closed: {(connection.Closed.IsCompleted ? connection.Closed.Result : "closing")}");

    private static ValueTask<byte[]?> Invoke(Func<IncomingMessage, ValueTask<byte[]?>> handler, IncomingMessage message)
    {
        try
        {
            return handler(message);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<byte[]?>(e);
        }
    }

    private async Task RespondAsync(PeerConnection connection, PeerMessage request, ValueTask<byte[]?> handled)
    {
        PeerMessage response;
        try
        {
            response = Response(request, await handled, null);
        }
        catch (Exception e)
        {
            response = Response(request, null, $"{e.GetType().Name}: {e.Message}");
        }

        try
        {
            await connection.SendAsync(response, _stoppingToken);
        }
        catch (Exception e) when (e is System.Threading.Channels.ChannelClosedException or OperationCanceledException)
        {
            // The session closed; the requester's pending call fails on its side.
        }
    }

    private async Task ObserveAsync(ValueTask<byte[]?> handled, string topic, uint from)
    {
        try
        {
            await handled;
        }
        catch (Exception e)
        {
            MessagingLog.HandlerFailed(_logger, topic, from, e);
        }
    }

    private static PeerMessage Response(PeerMessage request, byte[]? payload, string? error) => new()
    {
        Kind = PeerMessage.Types.Kind.Response,
        CorrelationId = request.CorrelationId,
        Topic = request.Topic,
        Payload = payload is null ? ByteString.Empty : ByteString.CopyFrom(payload),
        Error = error ?? "",
    };
}
