namespace ClusterD.Membership.Heartbeats;

public enum HeartbeatKind : byte
{
    /// <summary>The periodic datagram: liveness, RTT echo, view, proposal and connectivity rows.</summary>
    Heartbeat = 1,

    /// <summary>Sent a few times on clean shutdown, so peers record "left" rather than "lost".</summary>
    Leave = 2,
}
