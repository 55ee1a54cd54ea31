using ClusterD.Admin.V1;
using Grpc.Net.Client;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// A clusterd the demo talks to through its admin socket: a child process of the loopback demo
/// (<see cref="DemoNode"/>) or a daemon inside a testbed node (<see cref="TestbedNode"/>). The channel
/// outlives the daemon: a daemon that is started again on the same socket is reached again.
/// </summary>
internal abstract class DemoDaemon : IAsyncDisposable
{
    private GrpcChannel? _channel;

    protected DemoDaemon(string name, string socket)
    {
        Name = name;
        Socket = socket;
    }

    public string Name { get; }

    public string Socket { get; }

    public ClusterAdmin.ClusterAdminClient Client => new(_channel ??= AdminChannel.ForUnixSocket(Socket));

    /// <summary>The daemon is gone (exited, or its node powered off): it is not asked anything then.</summary>
    public abstract bool IsGone { get; }

    /// <summary>Why <see cref="IsGone"/>, for the message of a wait that cannot succeed any more.</summary>
    protected abstract string GoneReason { get; }

    /// <summary>Waits until the daemon answers GetStatus and <paramref name="ready"/> holds for the reply.</summary>
    public async Task<ClusterStatusReply> WaitForStatusAsync(Func<ClusterStatusReply, bool> ready, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            if (IsGone)
            {
                throw new InvalidOperationException(GoneReason);
            }

            try
            {
                if (File.Exists(Socket) && await StatusAsync(time, cancellationToken) is var status && ready(status))
                {
                    return status;
                }
            }
            catch (Grpc.Core.RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (time.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException($"{Name} did not reach the expected state within {limit.TotalSeconds} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), time, cancellationToken);
        }
    }

    /// <summary>GetStatus, given up after 2 s (a daemon that does not answer by then is treated as not answering).</summary>
    public async Task<ClusterStatusReply> StatusAsync(TimeProvider time, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        return await Client.GetStatusAsync(new GetStatusRequest(), cancellationToken: either.Token);
    }

    public virtual ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        return ValueTask.CompletedTask;
    }
}
