using System.Net;
using System.Net.Sockets;

namespace ClusterD.Messaging.Links;

/// <summary>
/// A UDP socket for one membership link. Sends are synchronous and non-blocking (a full socket
/// buffer drops the datagram, as any UDP loss would); receives use the allocation-free
/// <c>ReceiveFromAsync(Memory, SocketFlags, SocketAddress)</c> overload.
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

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await _socket.ReceiveFromAsync(buffer, SocketFlags.None, _receiveAddress, cancellationToken);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
            {
                // ICMP port unreachable from an earlier send: not about this datagram.
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize)
            {
                return -1; // bigger than the buffer (and truncated by the kernel): the caller counts it
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
