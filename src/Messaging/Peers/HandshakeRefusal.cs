namespace ClusterD.Messaging.Peers;

/// <summary>Why an incoming connection did not become a session; each has its own counter (<c>messagingRefusals</c> in status).</summary>
public enum HandshakeRefusal
{
    /// <summary>The first frame is not a well-formed Hello signed with a key this node accepts (garbage, wrong key, oversized).</summary>
    BadHello,

    /// <summary>A valid Hello from the wrong party: another cluster, an unknown node, this node itself, or the wrong role (who dials whom).</summary>
    WrongPeer,

    /// <summary>The peer uses another <c>crypto_cipher</c>.</summary>
    CipherMismatch,

    /// <summary>No valid Finished for this handshake: a replayed, reflected or spliced Hello, or a peer without the key.</summary>
    Unconfirmed,

    /// <summary>The handshake did not complete within the handshake timeout.</summary>
    Timeout,

    /// <summary>The peer closed or reset the connection during the handshake.</summary>
    Closed,

    /// <summary>Too many connections in their handshake at once (all sources outside the nodelist together).</summary>
    TooManyPending,

    /// <summary>Too many connections in their handshake at once from one source address.</summary>
    TooManyFromSource,

    /// <summary>A confirmed session from an older incarnation of the peer than one already seen.</summary>
    OlderIncarnation,

    /// <summary>This node is stopping.</summary>
    Stopping,
}
