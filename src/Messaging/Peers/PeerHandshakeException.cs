namespace ClusterD.Messaging.Peers;

/// <summary>A link session could not be opened (wrong cluster, wrong node, bad key, timeout...).</summary>
public sealed class PeerHandshakeException(string message, Exception? inner = null) : Exception(message, inner);
