using System.Collections.Immutable;
using System.Threading.Channels;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// Runs a <see cref="TransitionGraph"/>: each action starts as soon as every action it waits for has
/// succeeded, so independent actions run in parallel (up to <see cref="ExecutorOptions.MaxParallel"/>),
/// and among actions ready together the one the scheduler created first starts first. The first
/// failed action, or an abort from outside, stops the transition: nothing new starts, the actions
/// already running are waited for (an agent half-way through a start is never abandoned), and the
/// caller records the results and asks the scheduler again, as Pacemaker's controller does.
/// </summary>
public sealed class TransitionExecutor(IActionRunner runner, TimeProvider time, ExecutorOptions? options = null)
{
    private readonly ExecutorOptions _options = options ?? new ExecutorOptions();

    /// <param name="abort">Stops the transition: no new action starts; running ones finish.</param>
    public async Task<TransitionResult> ExecuteAsync(TransitionGraph graph, ClusterConfig config, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(config);
        var ordered = graph.Ordered();
        var position = ordered.Select((a, i) => (a.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var waitingFor = ordered.Select(a => graph.After(a.Id).Length).ToArray();
        var primitives = ConfigIndex.Of(config);

        // Ready actions by their position in the graph's deterministic order.
        var ready = new SortedSet<int>(Enumerable.Range(0, ordered.Length).Where(i => waitingFor[i] == 0));

        // Finished actions arrive here in the order they finish (awaiting "any of the running tasks"
        // instead would cost the number of running actions at every finish).
        var finishedActions = Channel.CreateUnbounded<ExecutedAction>(new UnboundedChannelOptions { SingleReader = true });
        var running = 0;
        var executed = ImmutableArray.CreateBuilder<ExecutedAction>();
        var started = new bool[ordered.Length];
        string? abortReason = null;
        while (true)
        {
            if (abortReason is null && abort.IsCancellationRequested)
            {
                abortReason = "the transition was aborted";
            }

            while (abortReason is null && ready.Count > 0 && (_options.MaxParallel <= 0 || running < _options.MaxParallel))
            {
                var next = ready.Min;
                ready.Remove(next);
                started[next] = true;
                _options.Started?.Invoke(ordered[next]);
                running++;
                _ = ReportAsync(RunAsync(ordered[next], config, primitives), finishedActions.Writer);
            }

            if (running == 0)
            {
                break;
            }

            var result = await finishedActions.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            running--;
            executed.Add(result);
            _options.Finished?.Invoke(result);
            if (!result.Succeeded)
            {
                abortReason ??= $"{result.Action.Id} failed: {Describe(result.Result)}";
                continue;
            }

            foreach (var dependent in graph.Dependents(result.Action.Id).Select(id => position[id]))
            {
                if (--waitingFor[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }

        var notRun = ordered.Where((_, i) => !started[i]).ToImmutableArray();
        return new TransitionResult(abortReason is null && notRun.IsEmpty, abortReason, executed.ToImmutable(), notRun);
    }

    /// <summary>Runs one action; whatever the runner does (throws, never returns), this completes with a result.</summary>
    private static async Task ReportAsync(Task<ExecutedAction> run, ChannelWriter<ExecutedAction> finished) =>
        finished.TryWrite(await run.ConfigureAwait(false));

    private async Task<ExecutedAction> RunAsync(TransitionAction action, ClusterConfig config, ConfigIndex primitives)
    {
        var timeout = ActionExpectations.Timeout(action, config, primitives);
        var startedAt = time.GetUtcNow();
        var clock = time.GetTimestamp();
        using var guard = new CancellationTokenSource();

        // The deadline runs from the action's start, before the runner is even called.
        using var deadline = new CancellationTokenSource(timeout + _options.Grace, time);
        ActionResult result;
        Task<ActionResult>? run = null;
        try
        {
            // Called in launch order, so among actions ready together the first created really starts first;
            // runners return as soon as their work is under way.
            run = runner.RunAsync(action, timeout, guard.Token);
            result = await run.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await guard.CancelAsync().ConfigureAwait(false);
            result = ActionResult.TimedOut($"no result within {(timeout + _options.Grace).TotalSeconds:0.###} s (timeout {timeout.TotalSeconds:0.###} s)");
        }
        catch (Exception e)
        {
            result = ActionResult.Error($"{e.GetType().Name}: {e.Message}");
        }

        if (run is { IsCompleted: false })
        {
            // The runner's late end (or failure) is observed, never left unobserved.
            _ = run.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        var succeeded = ActionExpectations.Succeeded(action, result);
        return new ExecutedAction(action, result, succeeded, startedAt, time.GetElapsedTime(clock));
    }

    private static string Describe(ActionResult result) =>
        result.Status == ActionExecStatus.Done
            ? $"rc {result.ExitCode}{(result.Reason is { Length: > 0 } r ? $" ({r})" : "")}"
            : $"{result.Status.ToString().ToLowerInvariant()}{(result.Reason is { Length: > 0 } why ? $": {why}" : "")}";
}
