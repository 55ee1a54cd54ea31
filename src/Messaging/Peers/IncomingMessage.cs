namespace ClusterD.Messaging.Peers;

/// <summary>A message as a handler sees it.</summary>
public sealed record IncomingMessage(uint From, ulong FromIncarnation, string Topic, ReadOnlyMemory<byte> Payload, bool IsRequest);
