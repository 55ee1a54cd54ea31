namespace ClusterD.Messaging.Peers;

/// <summary>A link session could not be opened (wrong cluster, wrong node, bad key, not confirmed, timeout...).</summary>
public sealed class PeerHandshakeException(HandshakeRefusal refusal, string message, Exception? inner = null) : Exception(message, inner)
{
    public HandshakeRefusal Refusal { get; } = refusal;
}
