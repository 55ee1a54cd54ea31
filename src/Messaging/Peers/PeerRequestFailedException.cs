namespace ClusterD.Messaging.Peers;

/// <summary>The peer received the request but its handler failed; the message is the peer's.</summary>
public sealed class PeerRequestFailedException(uint peer, string topic, string error)
    : Exception($"node {peer} failed '{topic}': {error}");
