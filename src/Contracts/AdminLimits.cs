namespace ClusterD.Admin.V1;

/// <summary>Bounds of the admin API that the daemon enforces and <c>clusterctl</c> checks before sending.</summary>
public static class AdminLimits
{
    /// <summary>The largest request the daemon accepts (1 MiB); a configuration sent by <c>configure load</c> must fit.</summary>
    public const int MaxRequestBytes = 1 << 20;

    /// <summary>Room left in a request for everything but the configuration text.</summary>
    public const int MaxConfigurationBytes = MaxRequestBytes - 4096;
}
