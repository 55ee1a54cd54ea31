using ClusterD.Messaging.Security;

namespace ClusterD.Messaging.Peers;

/// <summary>What a node needs to open a link session: who it is, its keys, and the limits it enforces.</summary>
public sealed record HandshakeOptions(
    string ClusterName,
    uint LocalNode,
    ulong Incarnation,
    Func<AuthKeyRing> Keys,
    bool Encrypt,
    Func<uint, bool> IsKnownNode,
    int MaxBody,
    TimeSpan HandshakeTimeout);
