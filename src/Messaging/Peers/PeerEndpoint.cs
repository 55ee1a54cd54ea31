using System.Net;

namespace ClusterD.Messaging.Peers;

/// <summary>A peer's messaging addresses, in link order (ring0 first): the dialer falls back to the next on failure.</summary>
public sealed record PeerEndpoint(uint NodeId, string Name, IReadOnlyList<IPEndPoint> Addresses);
