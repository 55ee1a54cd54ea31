namespace ClusterD.Cli;

/// <summary>
/// Opens a connection to the admin API of the daemon behind a Unix socket. The real one is
/// <see cref="AdminClientFactory"/>; tests hand the commands a client over an in-memory call invoker.
/// </summary>
internal interface IAdminClientFactory
{
    /// <exception cref="DaemonUnreachableException">The socket cannot be used at all (for example it does not exist).</exception>
    AdminConnection Connect(string socketPath);
}
