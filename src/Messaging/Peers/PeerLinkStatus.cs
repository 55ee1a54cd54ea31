namespace ClusterD.Messaging.Peers;

/// <summary>Counters of the messaging link to one peer, summed over all its sessions.</summary>
public sealed record PeerLinkStatus(
    uint NodeId,
    bool Connected,
    string? RemoteAddress,
    ulong PeerIncarnation,
    long FramesIn,
    long FramesOut,
    long BytesIn,
    long BytesOut,
    long Reconnects,
    int QueueDepth,
    long QueuedBytes,
    TimeSpan? Rtt,
    IReadOnlyDictionary<string, long> Rejects,
    string? LastError);
