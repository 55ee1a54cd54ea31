namespace ClusterD.Daemon.Admin;

/// <summary>What a caller of the admin API may do (see <see cref="AdminAccessPolicy"/>).</summary>
internal enum AdminAccess
{
    None,
    ReadOnly,
    Full,
}
