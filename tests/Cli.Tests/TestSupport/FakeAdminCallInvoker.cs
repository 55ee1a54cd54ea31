using System.Threading.Channels;
using ClusterD.Admin.V1;
using Grpc.Core;

namespace ClusterD.Cli.Tests.TestSupport;

/// <summary>
/// An in-memory daemon for the generated <see cref="ClusterAdmin.ClusterAdminClient"/>: GetStatus
/// answers from <see cref="StatusReply"/>, WatchEvents streams whatever is written to
/// <see cref="Events"/>, every other unary call is recorded in <see cref="Requests"/> and answered by
/// <see cref="Answer"/> (which may throw an <see cref="RpcException"/> as the daemon would). No sockets,
/// so commands run end to end without Kestrel.
/// </summary>
internal sealed class FakeAdminCallInvoker : CallInvoker
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _statusWaiters = [];
    private int _statusCalls;

    public Func<ClusterStatusReply> StatusReply { get; set; } = () => new ClusterStatusReply();

    public Channel<ClusterEvent> Events { get; } = Channel.CreateUnbounded<ClusterEvent>();

    /// <summary>Every unary call but GetStatus: the method name and the request.</summary>
    public List<(string Method, object Request)> Requests { get; } = [];

    /// <summary>The answer to a unary call but GetStatus, by method name and request; default: "done".</summary>
    public Func<string, object, object> Answer { get; set; } = (_, _) => new CommandReply { Message = "done" };

    /// <summary>A refusal as the daemon sends it: the status, its message and the refusal trailer.</summary>
    public static RpcException Refusal(StatusCode code, string message) =>
        new(new Status(code, message), new Metadata { { AdminTrailers.Refusal, code.ToString() } });

    public int StatusCalls
    {
        get
        {
            lock (_gate)
            {
                return _statusCalls;
            }
        }
    }

    /// <summary>Completes once GetStatus has been called <paramref name="count"/> times.</summary>
    public Task WaitForStatusCallsAsync(int count)
    {
        lock (_gate)
        {
            if (_statusCalls >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _statusWaiters.Add((count, done));
            return done.Task;
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        if (method.Name != "GetStatus")
        {
            Task<TResponse> answer;
            try
            {
                lock (_gate)
                {
                    Requests.Add((method.Name, request!));
                }

                answer = Task.FromResult((TResponse)Answer(method.Name, request!));
            }
            catch (Exception e)
            {
                answer = Task.FromException<TResponse>(e);
            }

            return new AsyncUnaryCall<TResponse>(answer, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        Task<TResponse> response;
        try
        {
            response = Task.FromResult((TResponse)(object)StatusReply());
        }
        catch (Exception e)
        {
            response = Task.FromException<TResponse>(e);
        }

        lock (_gate)
        {
            _statusCalls++;
            foreach (var waiter in _statusWaiters.Where(w => w.Count <= _statusCalls).ToList())
            {
                _statusWaiters.Remove(waiter);
                waiter.Done.SetResult();
            }
        }

        return new AsyncUnaryCall<TResponse>(
            response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Assert.Equal("WatchEvents", method.Name);
        return new AsyncServerStreamingCall<TResponse>(
            new ChannelStreamReader<TResponse>(Events.Reader),
            Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess,
            () => [],
            () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("clusterctl only makes asynchronous calls");

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private sealed class ChannelStreamReader<T>(ChannelReader<ClusterEvent> events) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (await events.WaitToReadAsync(cancellationToken) && events.TryRead(out var next))
            {
                Current = (T)(object)next;
                return true;
            }

            return false;
        }
    }
}
