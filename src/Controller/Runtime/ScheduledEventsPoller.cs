using ClusterD.Controller.Core;
using ClusterD.Fencing.Azure;
using ClusterD.Membership.Configuration;
using Microsoft.Extensions.Logging;

namespace ClusterD.Controller.Runtime;

/// <summary>
/// The thin shell of Scheduled Events: polls the instance metadata service every interval and posts what it
/// lists to the controller (<see cref="ScheduledEventsInput"/>), and sends the acknowledgements the controller
/// decides. In <see cref="ScheduledEventsMode.Auto"/> it stops after a first poll that does not get a Scheduled
/// Events document (not an Azure VM). A failed poll changes nothing in the controller: the last list stands. Decisions are the core's.
/// </summary>
public sealed class ScheduledEventsPoller(ScheduledEventsClient client, ScheduledEventsMode mode, TimeSpan interval, Action<ControllerInput> post, TimeProvider time, ILogger logger)
    : IScheduledEventsAcknowledger, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private string? _lastProblem;
    private int _disposed;

    /// <summary>What status says of the polling: off, polling, or the last failure.</summary>
    public string State { get; private set; } = mode == ScheduledEventsMode.Off ? "off" : "starting";

    public void Start()
    {
        if (mode != ScheduledEventsMode.Off)
        {
            _loop ??= Task.Run(() => LoopAsync(_stopping.Token));
        }
    }

    /// <summary>Sends the acknowledgement in the background; a failure is logged (the event then starts at its NotBefore).</summary>
    public void Acknowledge(string eventId) => _ = AcknowledgeAsync(eventId);

    /// <summary>Stops polling; may be called more than once. <see cref="_stopping"/> is not disposed: an acknowledgement still running may read its token.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        client.Dispose();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        var first = true;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                var (events, problems) = await client.GetAsync(stopping).ConfigureAwait(false);
                post(new ScheduledEventsInput(events));
                State = $"polling {client.Address.GetLeftPart(UriPartial.Path)} every {interval.TotalSeconds:0.#} s: {events.Length} events";
                Report(problems.Count == 0 ? null : string.Join("; ", problems));
            }
            catch (ScheduledEventsException e) when (first && mode == ScheduledEventsMode.Auto)
            {
                // Auto means "where Azure's instance metadata service answers": anything else at that address
                // (nothing, a proxy's 403, not a Scheduled Events document) is not it.
                State = $"off: the instance metadata service does not answer ({e.Message})";
                ControllerLog.ScheduledEventsOff(logger, e.Message);
                return;
            }
            catch (ScheduledEventsException e)
            {
                State = "failing: " + e.Message;
                Report(e.Message);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            first = false;
        }
        while (await NextAsync(timer, stopping).ConfigureAwait(false));
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Logs a problem when it appears or changes, and once when it is gone: never at every poll.</summary>
    private void Report(string? problem)
    {
        if (problem == _lastProblem)
        {
            return;
        }

        _lastProblem = problem;
        if (problem is null)
        {
            ControllerLog.ScheduledEventsRecovered(logger);
        }
        else
        {
            ControllerLog.ScheduledEventsProblem(logger, problem);
        }
    }

    private async Task AcknowledgeAsync(string eventId)
    {
        try
        {
            await client.AcknowledgeAsync(eventId, _stopping.Token).ConfigureAwait(false);
            ControllerLog.ScheduledEventAcknowledged(logger, eventId);
        }
        catch (ScheduledEventsException e)
        {
            ControllerLog.ScheduledEventsProblem(logger, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
