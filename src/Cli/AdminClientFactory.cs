using System.Net.Sockets;
using ClusterD.Admin.V1;
using Grpc.Net.Client;

namespace ClusterD.Cli;

/// <summary>
/// Talks gRPC (HTTP/2 with prior knowledge) to the daemon over its Unix domain socket: the HTTP
/// layer believes it dials <c>http://localhost</c>, and the connect callback hands it a stream
/// over the socket instead, as in the grpc-dotnet "inter-process communication" guide.
/// </summary>
internal sealed class AdminClientFactory : IAdminClientFactory
{
    /// <summary>
    /// A Unix socket connect either succeeds or fails at once; the bound only matters when the
    /// daemon's listen backlog is full because it is wedged.
    /// </summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public AdminConnection Connect(string socketPath)
    {
        // File.Exists is true for sockets (anything but a directory). Checking first turns the
        // common "daemon not running" case into a plain message instead of a gRPC status.
        if (!File.Exists(socketPath))
        {
            throw new DaemonUnreachableException(socketPath, "the socket does not exist (or is not accessible)");
        }

        var channel = CreateChannel(socketPath);
        return new AdminConnection(new ClusterAdmin.ClusterAdminClient(channel), channel);
    }

    public static GrpcChannel CreateChannel(string socketPath)
    {
        var endPoint = new UnixDomainSocketEndPoint(socketPath);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            // Ctrl-C surfaces as OperationCanceledException rather than RpcException(Cancelled).
            ThrowOperationCanceledOnCancellation = true,
        });
    }
}
