using System.Net;

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

    /// <summary>Receives one datagram into <paramref name="buffer"/>; returns its length, or -1 when it did not fit.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}
