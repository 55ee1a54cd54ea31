using System.Collections.Concurrent;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Tests.Execution;

/// <summary>A runner whose actions finish when the test says so, recording when each started and with which timeout.</summary>
internal sealed class GatedRunner : IActionRunner
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ActionResult>> _gates = new();
    private readonly List<string> _started = [];

    public ConcurrentDictionary<string, TimeSpan> Timeouts { get; } = new();

    public ConcurrentDictionary<string, CancellationToken> Tokens { get; } = new();

    public IReadOnlyList<string> Started
    {
        get
        {
            lock (_started)
            {
                return [.. _started];
            }
        }
    }

    public Task<ActionResult> RunAsync(TransitionAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_started)
        {
            _started.Add(action.Id);
        }

        Timeouts[action.Id] = timeout;
        Tokens[action.Id] = cancellationToken;
        return Gate(action.Id).Task;
    }

    public void Finish(string id, ActionResult result) => Gate(id).SetResult(result);

    public void Throw(string id, Exception e) => Gate(id).SetException(e);

    public async Task WaitStartedAsync(params string[] ids)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!ids.All(Started.Contains))
        {
            Assert.True(DateTime.UtcNow < deadline, $"started: [{string.Join(", ", Started)}], waiting for [{string.Join(", ", ids)}]");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    private TaskCompletionSource<ActionResult> Gate(string id) =>
        _gates.GetOrAdd(id, _ => new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously));
}
