using System.Collections.Concurrent;

namespace ClusterD.Fencing.Tests.TestSupport;

/// <summary>
/// A fence agent double that answers from a function and records every call with the (fake) time it
/// arrived; <see cref="Block"/> makes calls wait until cancelled or released.
/// </summary>
internal sealed class ScriptedAgent(TimeProvider time, Func<FenceRequest, FenceResult> answer) : IFenceAgent
{
    private readonly ConcurrentQueue<Call> _calls = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<Call> _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Block { get; init; }

    public IReadOnlyList<Call> Calls => [.. _calls];

    public static FenceResult Ok => new(true, 0, null, "Success: Powered OFF\n");

    public static FenceResult Fail(string why = "ERROR: boom") => new(false, 1, $"exit status 1: {why}", why + "\n");

    /// <summary>Completes at the next call (from now on).</summary>
    public Task<Call> NextCallAsync()
    {
        var tcs = new TaskCompletionSource<Call>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _called, tcs);
        return tcs.Task;
    }

    public void Release() => _release.TrySetResult();

    public async Task<FenceResult> RunAsync(FenceRequest request, CancellationToken ct)
    {
        var call = new Call(time.GetUtcNow(), request, ct);
        _calls.Enqueue(call);
        Volatile.Read(ref _called).TrySetResult(call);
        if (Block)
        {
            await _release.Task.WaitAsync(ct);
        }

        return answer(request);
    }

    public sealed record Call(DateTimeOffset At, FenceRequest Request, CancellationToken Token);
}
