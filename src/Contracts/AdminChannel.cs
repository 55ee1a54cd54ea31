using System.Net.Sockets;
using Grpc.Net.Client;

namespace ClusterD.Admin.V1;

/// <summary>
/// Opens gRPC channels to a clusterd admin socket: HTTP/2 with prior knowledge, where the HTTP
/// layer believes it dials <c>http://localhost</c> and the connect callback hands it a stream
/// over the Unix socket instead (the grpc-dotnet inter-process communication pattern).
/// </summary>
public static class AdminChannel
{
    /// <summary>A Unix socket connect succeeds or fails at once; the bound only matters for a wedged daemon's full backlog.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static GrpcChannel ForUnixSocket(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
