namespace ClusterD.Messaging.Framing;

/// <summary>Why a frame was refused. Any of these closes the link (the stream can no longer be trusted).</summary>
public enum FrameError
{
    None,

    /// <summary>The length prefix is above the maximum frame size (checked before anything is buffered).</summary>
    Oversized,

    /// <summary>The length prefix is too small to hold a header and a tag (a length that is negative as a signed number is <see cref="Oversized"/>).</summary>
    Undersized,
    BadVersion,
    UnknownType,

    /// <summary>The authentication tag does not verify: wrong key, tampered, or a frame of another session.</summary>
    BadTag,

    /// <summary>The key id is not one this node accepts.</summary>
    UnknownKey,

    /// <summary>The sequence number is not exactly the next one: a replayed, dropped or reordered frame.</summary>
    OutOfSequence,

    /// <summary>The frame is well formed but not allowed here (e.g. Data before the handshake, a second Hello).</summary>
    Unexpected,

    /// <summary>The body does not parse as the protobuf message its type requires.</summary>
    BadBody,
}
