using System.Net;
using System.Net.Sockets;

namespace ClusterD.Messaging.Links;

/// <summary>
/// A UDP socket for one membership link. Sends are synchronous and non-blocking (a full socket
/// buffer drops the datagram, as any UDP loss would); so are receives, by the loop that waits on
/// <see cref="Socket"/> (the allocation-free <c>ReceiveFrom(Span, SocketFlags, SocketAddress)</c> overload).
/// </summary>
public sealed class UdpDatagramLink : IDatagramLink
{
    private const int ReceiveBufferBytes = 4 << 20;

    private readonly Socket _socket;
    private readonly SocketAddress _receiveAddress;
    private readonly Dictionary<IPEndPoint, SocketAddress> _destinations = [];

    public UdpDatagramLink(int linkNumber, IPEndPoint localEndPoint)
    {
        LinkNumber = linkNumber;
        _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            Blocking = false,

            // Room for bursts (a flood of junk must not push out real heartbeats); the kernel caps it at net.core.rmem_max.
            ReceiveBufferSize = ReceiveBufferBytes,
        };
        try
        {
            _socket.Bind(localEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _receiveAddress = LocalEndPoint.Serialize();
    }

    public int LinkNumber { get; }

    public IPEndPoint LocalEndPoint { get; }

    public bool TrySend(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        if (!_destinations.TryGetValue(destination, out var address))
        {
            address = destination.Serialize();
            _destinations[destination] = address;
        }

        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, address) == datagram.Length;
        }
        catch (SocketException)
        {
            // Unreachable peer, full buffer, interface down: the same as a lost datagram.
            return false;
        }
    }

    public Socket Socket => _socket;

    public int? TryReceive(Span<byte> buffer)
    {
        while (true)
        {
            try
            {
                // The kernel truncates a longer datagram to the buffer without saying so here: a full buffer
                // may have been more, and counts as not fitting.
                var length = _socket.ReceiveFrom(buffer, SocketFlags.None, _receiveAddress);
                return length == buffer.Length ? -1 : length;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
            {
                // ICMP port unreachable from an earlier send: not about a datagram; the next one may be waiting.
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize)
            {
                return -1; // bigger than the buffer (and truncated by the kernel): the caller counts it
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
