namespace ClusterD.Messaging.Framing;

public enum FrameType : byte
{
    /// <summary>Session start, signed with the long-term key; body is a <c>Hello</c>.</summary>
    Hello = 1,

    /// <summary>Body is a <c>PeerMessage</c>.</summary>
    Data = 2,

    /// <summary>Body is the sender's 8-byte timestamp; answered by <see cref="Pong"/> with the same body.</summary>
    Ping = 3,

    Pong = 4,

    /// <summary>
    /// The second frame of each direction (sequence 1, under the session keys): the SHA-256 of the handshake
    /// transcript (both Hellos as sent). Its tag proves the sender holds the cluster key for these nonces.
    /// </summary>
    Finished = 5,
}
