using ClusterD.Admin.V1;

namespace ClusterD.Cli;

/// <summary>
/// Connects to the daemon's admin socket (see <see cref="AdminChannel"/>), turning a missing
/// socket file into a plain "not reachable" error.
/// </summary>
internal sealed class AdminClientFactory : IAdminClientFactory
{
    public AdminConnection Connect(string socketPath)
    {
        // File.Exists is true for sockets (anything but a directory). Checking first turns the
        // common "daemon not running" case into a plain message instead of a gRPC status.
        if (!File.Exists(socketPath))
        {
            throw new DaemonUnreachableException(socketPath, "the socket does not exist (or is not accessible)");
        }

        var channel = AdminChannel.ForUnixSocket(socketPath);
        return new AdminConnection(new ClusterAdmin.ClusterAdminClient(channel), channel);
    }
}
