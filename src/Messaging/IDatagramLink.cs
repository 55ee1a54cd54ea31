using System.Net;
using System.Net.Sockets;

namespace ClusterD.Messaging;

/// <summary>
/// One membership link: a UDP socket bound to this node's address for that link (ring0_addr,
/// ring1_addr ...). The seam between the membership core and the network.
/// </summary>
public interface IDatagramLink : IDisposable
{
    /// <summary>The link number (0 for ring0_addr).</summary>
    int LinkNumber { get; }

    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends one datagram without waiting; a failure to send is reported, never thrown.</summary>
    bool TrySend(ReadOnlySpan<byte> datagram, IPEndPoint destination);

    /// <summary>The socket a receiving loop waits on (<see cref="Socket.Select"/>) until a datagram is there.</summary>
    Socket Socket { get; }

    /// <summary>
    /// Takes one waiting datagram into <paramref name="buffer"/> without blocking: its length, -1 when it filled
    /// the buffer (it may have been longer: the kernel truncates; give one byte more than the largest valid
    /// datagram), or null when none is waiting.
    /// </summary>
    int? TryReceive(Span<byte> buffer);
}
