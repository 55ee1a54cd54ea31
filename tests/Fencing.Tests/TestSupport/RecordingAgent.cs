namespace ClusterD.Fencing.Tests.TestSupport;

/// <summary>Passes calls to a real agent, recording the (fake) time and request of each.</summary>
internal sealed class RecordingAgent(IFenceAgent inner, TimeProvider time) : IFenceAgent
{
    private readonly List<(DateTimeOffset At, FenceRequest Request)> _calls = [];

    public IReadOnlyList<(DateTimeOffset At, FenceRequest Request)> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public Task<FenceResult> RunAsync(FenceRequest request, CancellationToken ct)
    {
        lock (_calls)
        {
            _calls.Add((time.GetUtcNow(), request));
        }

        return inner.RunAsync(request, ct);
    }
}
