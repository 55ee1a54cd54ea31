namespace ClusterD.Membership.Runtime;

/// <summary>Where the membership core's outgoing datagrams go: a socket per link, or a simulated network.</summary>
public interface IDatagramSink
{
    /// <summary>Sends <paramref name="datagram"/> to the node at <paramref name="nodeIndex"/> on link <paramref name="link"/>. Must not keep the span.</summary>
    void Send(int nodeIndex, int link, ReadOnlySpan<byte> datagram);
}
