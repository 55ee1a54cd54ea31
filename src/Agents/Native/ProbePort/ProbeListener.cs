using System.Net;
using System.Net.Sockets;

namespace ClusterD.Agents.Native.ProbePort;

/// <summary>
/// One listening socket and its accept loop. <see cref="Open"/> returns once the socket
/// listens; <see cref="DisposeAsync"/> returns once it is closed and the loop has ended, so the
/// port refuses connections from then on.
/// </summary>
internal sealed class ProbeListener : IAsyncDisposable
{
    /// <summary>A load balancer probes every few seconds; a small backlog absorbs bursts.</summary>
    private const int Backlog = 16;

    private readonly Socket _socket;
    private readonly Task _acceptLoop;
    private readonly CancellationTokenSource _stop = new();

    private ProbeListener(Socket socket, IPEndPoint endpoint)
    {
        _socket = socket;
        Endpoint = endpoint;
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>True while the accept loop runs (it ends only on dispose or a socket failure).</summary>
    public bool IsListening => !_acceptLoop.IsCompleted;

    public static ProbeListener Open(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR lets a restart bind while old probe connections sit in TIME_WAIT; it
            // does not allow two listeners on one port on Linux.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = endpoint.Address.Equals(IPAddress.IPv6Any);
            }

            socket.Bind(endpoint);
            socket.Listen(Backlog);
            return new ProbeListener(socket, endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var connection = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                connection.Dispose();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The prober gave up before we accepted: that connection is gone, the listener is not.
            }
        }
    }
}
