using System.Net.Sockets;

namespace ClusterD.Membership.Runtime;

/// <summary>
/// Wakes a loop that waits on sockets (<see cref="Socket.Select"/>) from another thread: a Unix datagram
/// socket in the abstract namespace, connected to itself, that becomes readable when signalled. It needs
/// no file and no network interface (a node's network namespace may have no loopback up).
/// </summary>
internal sealed class LoopWaker : IDisposable
{
    private static readonly byte[] Token = [1];
    private readonly Socket _socket;

    public LoopWaker()
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            var name = new UnixDomainSocketEndPoint($"\0clusterd-membership-{Environment.ProcessId}-{Guid.NewGuid():N}");
            _socket.Bind(name);
            _socket.Connect(name);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Readable while a signal is pending.</summary>
    public Socket Socket => _socket;

    /// <summary>Makes <see cref="Socket"/> readable; a signal already pending is enough (a full buffer drops this one).</summary>
    public void Signal()
    {
        try
        {
            _socket.Send(Token);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Pending signals fill the buffer, or the loop has ended: either way the loop needs no more.
        }
    }

    /// <summary>Takes every pending signal.</summary>
    public void Drain()
    {
        Span<byte> buffer = stackalloc byte[16];
        try
        {
            while (_socket.Available > 0)
            {
                _socket.Receive(buffer);
            }
        }
        catch (SocketException)
        {
            // Nothing left.
        }
    }

    public void Dispose() => _socket.Dispose();
}
