namespace ClusterD.Admin.V1;

/// <summary>Trailers the daemon adds to admin API answers; the daemon and <c>clusterctl</c> share these names.</summary>
public static class AdminTrailers
{
    /// <summary>
    /// Set on a command the cluster refused (value: the status code name, e.g. <c>Unavailable</c> for "no quorum").
    /// It tells such an answer apart from the same status code raised by the transport (daemon unreachable).
    /// </summary>
    public const string Refusal = "clusterd-refusal";
}
