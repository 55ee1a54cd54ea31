namespace ClusterD.Daemon.Admin;

/// <summary>
/// Who is on the other end of an admin socket connection, as the kernel recorded it at connect():
/// SO_PEERCRED (pid, effective uid and gid) and SO_PEERGROUPS (the supplementary groups).
/// </summary>
internal sealed record PeerCredentials(int Pid, uint Uid, uint Gid, IReadOnlyList<uint> Groups)
{
    public bool IsInGroup(uint gid) => Gid == gid || Groups.Contains(gid);
}
