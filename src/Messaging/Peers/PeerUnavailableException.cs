namespace ClusterD.Messaging.Peers;

/// <summary>
/// A message could not be delivered: no link to the peer, or the link closed (peer crashed,
/// restarted, network cut) before a request was answered. Messages are at-most-once per link
/// session: whatever was queued or in flight on the closed session is not resent.
/// </summary>
public sealed class PeerUnavailableException(string message) : Exception(message);
