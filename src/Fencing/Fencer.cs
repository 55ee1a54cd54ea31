using System.Collections.Immutable;
using ClusterD.Fencing.Devices;
using ClusterD.Fencing.History;
using ClusterD.Fencing.Policy;
using ClusterD.Fencing.Scripts;
using ClusterD.Fencing.Witness;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Fencing;

/// <summary>
/// Fences nodes with the configuration's devices, as Pacemaker's fencer does for one level: find the
/// devices that can fence the target (static list, map, dynamic list or status), wait the
/// <c>priority-fencing-delay</c> (<see cref="FenceDelayPolicy"/>) and each device's own
/// <c>pcmk_delay_*</c>, then run the fencing action on the devices in configuration order until one
/// succeeds; a failed pass is retried after a backoff, up to <see cref="FencerOptions.MaxRounds"/>
/// passes, all within the operation's timeout. Every operation is kept in <see cref="History"/>. With a
/// cloud witness (<see cref="FencerOptions.Witness"/>), a fence race is decided by its lease instead of
/// the delay (<see cref="WitnessArbitration"/>).
/// </summary>
/// <remarks>
/// Time (delays, backoff, timeouts, history times) comes only from the <see cref="TimeProvider"/>. A
/// request for a node that is already being fenced joins that operation (Pacemaker merges identical
/// requests) rather than racing it. Whether fencing is enabled at all (<c>stonith-enabled</c>) is the
/// controller's decision.
/// </remarks>
public sealed partial class Fencer
{
    private readonly Func<string, IFenceAgent> _agents;
    private readonly TimeProvider _time;
    private readonly FencerOptions _options;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly object _gate = new();
    private readonly Dictionary<string, Task<FenceOutcome>> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId;

    /// <summary>A fencer running agents from <paramref name="agents"/> (agent type to agent, e.g. <see cref="FenceScriptRunner.Factory"/>).</summary>
    public Fencer(Func<string, IFenceAgent> agents, TimeProvider time, FencerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(time);
        _agents = agents;
        _time = time;
        _options = options ?? new FencerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxRounds, 1);
        _logger = logger ?? NullLogger.Instance;
        _random = _options.Random ?? Random.Shared;
        History = new FenceHistory(_options.HistoryLimit);
    }

    /// <summary>Every operation, pending and finished, the most recent <see cref="FencerOptions.HistoryLimit"/>.</summary>
    public FenceHistory History { get; }

    /// <summary>
    /// Fences <paramref name="target"/> with the devices of <paramref name="config"/>; <paramref name="status"/>
    /// is this partition's view, for the priority fencing delay. Never throws for device failures: they are a
    /// failed outcome. Cancelling <paramref name="ct"/> stops the operation (recorded as failed) and throws.
    /// </summary>
    public Task<FenceOutcome> FenceAsync(FenceTarget target, ClusterConfig config, ClusterStatus status, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(status);
        lock (_gate)
        {
            if (_inFlight.TryGetValue(target.Node, out var running))
            {
                return running.WaitAsync(ct);
            }

            var operation = RunAsync(target, config, status, ct);
            if (!operation.IsCompleted)
            {
                _inFlight[target.Node] = operation;
                _ = operation.ContinueWith(
                    _ =>
                    {
                        lock (_gate)
                        {
                            _inFlight.Remove(target.Node);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }

            return operation;
        }
    }

    private async Task<FenceOutcome> RunAsync(FenceTarget target, ClusterConfig config, ClusterStatus status, CancellationToken ct)
    {
        await Task.Yield();
        var properties = FencingProperties.From(config);
        var devices = FenceDevices.From(config);
        foreach (var warning in properties.Warnings.Concat(devices.Warnings))
        {
            FencingLog.ConfigurationWarning(_logger, warning);
        }

        var action = properties.Action;
        var started = _time.GetTimestamp();
        var entry = new FenceHistoryEntry(
            Interlocked.Increment(ref _nextId), target.Node, target.Requester, action, FenceHistoryResult.Pending, target.Reason, _time.GetUtcNow());
        History.Record(entry);
        FencingLog.FenceRequested(_logger, target.Node, FenceActionNames.ToAgentName(action), target.Requester, target.Reason);
        var attempts = ImmutableArray.CreateBuilder<FenceAttempt>();
        WitnessArbitration? arbitration = null;
        try
        {
            var capable = await CapableDevicesAsync(devices.Devices, target.Node, properties.Timeout, ct).ConfigureAwait(false);
            if (capable.Count == 0)
            {
                return Finish(entry, attempts, started, $"no fence device can fence {target.Node}"
                    + (devices.Devices.IsEmpty ? " (none configured)" : $" (checked {string.Join(", ", devices.Devices.Select(d => d.Id))})"));
            }

            // A fence race is decided by the cloud witness when there is one, else (or when it does not answer)
            // by the priority fencing delay.
            var race = FenceDelayPolicy.RaceFor(config, status, target.Node);
            if (_options.Witness is { } witness && race != FenceRace.None)
            {
                (entry, arbitration) = await ArbitrateAsync(entry, witness, target.Node, race, capable[0].Id, ct).ConfigureAwait(false);
                if (arbitration.Phase == WitnessPhase.Yielded)
                {
                    return Finish(entry, attempts, started, "not fenced: the other side holds the witness lease") with { Witness = WitnessVerdict.DoNotFence };
                }
            }

            if (arbitration?.Phase != WitnessPhase.Holding)
            {
                var priorityDelay = FenceDelayPolicy.DelayFor(config, status, target.Node);
                entry = await WaitAsync(entry, priorityDelay, "priority-fencing-delay", capable[0].Id, ct).ConfigureAwait(false);
            }

            // Pacemaker adds the requested delay to the operation's timeout; the budget starts after it and
            // covers at least one full pass (a device's own pcmk_off_timeout may exceed stonith-timeout).
            var budget = TimeSpan.FromTicks(Math.Max(properties.Timeout.Ticks, capable.Sum(d => d.TimeoutFor(action, properties.Timeout).Ticks)));
            using var deadline = new CancellationTokenSource(budget, _time);
            using var leaseLost = new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, leaseLost.Token, ct);
            await using var holding = HoldLease(arbitration, leaseLost);
            var deadlineAt = _time.GetTimestamp() + (long)(budget.TotalSeconds * _time.TimestampFrequency);
            var backoff = _options.RetryBackoff;
            for (var round = 1; round <= _options.MaxRounds; round++)
            {
                foreach (var device in capable)
                {
                    if (round == 1)
                    {
                        var own = device.DelayFor(action, target.Node, _random);
                        entry = await WaitAsync(entry, own, "pcmk_delay_base/pcmk_delay_max", device.Id, linked.Token).ConfigureAwait(false);
                    }

                    var remaining = Remaining(deadlineAt);
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    var timeout = Min(device.TimeoutFor(action, properties.Timeout), remaining);
                    var request = device.RequestFor(action, target.Node, timeout);
                    var result = await RunAgentAsync(device, request, linked.Token, ct).ConfigureAwait(false);
                    attempts.Add(new FenceAttempt(device.Id, round, request.Action, result));
                    if (leaseLost.IsCancellationRequested && !result.Succeeded)
                    {
                        return Finish(entry, attempts, started, "stopped: the witness lease was lost") with { Witness = WitnessVerdict.Fence };
                    }

                    if (result.Succeeded)
                    {
                        var done = entry with
                        {
                            Result = FenceHistoryResult.Succeeded,
                            Device = device.Id,
                            Detail = null,
                            WaitingUntil = null,
                            Completed = _time.GetUtcNow(),
                        };
                        History.Record(done);
                        FencingLog.Fenced(_logger, target.Node, device.Id, FenceActionNames.ToAgentName(request.Action), Elapsed(started));
                        await holding.ConfirmedOffAsync().ConfigureAwait(false);
                        return new FenceOutcome(true, done, attempts.ToImmutable()) { Witness = arbitration is null ? null : WitnessVerdict.Fence };
                    }

                    FencingLog.AttemptFailed(_logger, target.Node, device.Id, FenceActionNames.ToAgentName(request.Action), round, result.Reason ?? "");
                    entry = entry with { Device = device.Id, Detail = result.Reason, WaitingUntil = null };
                    History.Record(entry);
                }

                if (round == _options.MaxRounds || Remaining(deadlineAt) <= TimeSpan.Zero)
                {
                    break;
                }

                entry = await WaitAsync(entry, Min(backoff, Remaining(deadlineAt)), "retry backoff", capable[0].Id, linked.Token).ConfigureAwait(false);
                backoff = Min(backoff * 2, _options.MaxRetryBackoff);
            }

            var why = leaseLost.IsCancellationRequested ? "stopped: the witness lease was lost"
                : Remaining(deadlineAt) <= TimeSpan.Zero
                ? $"stonith-timeout ({(long)budget.TotalMilliseconds} ms) expired"
                : $"all devices failed in {_options.MaxRounds} round(s)";
            return Finish(entry, attempts, started, entry.Detail is null ? why : $"{why}; last: {entry.Detail}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Finish(entry, attempts, started, $"cancelled by {target.Requester}'s side");
            throw;
        }
        catch (OperationCanceledException) when (arbitration?.Phase == WitnessPhase.Lost)
        {
            return Finish(entry, attempts, started, "stopped: the witness lease was lost" + (entry.Detail is null ? "" : $"; last: {entry.Detail}"));
        }
        catch (OperationCanceledException)
        {
            // The budget expired during a delay or backoff.
            return Finish(entry, attempts, started, "stonith-timeout expired" + (entry.Detail is null ? "" : $"; last: {entry.Detail}"));
        }
    }

    /// <summary>Runs one agent action; an agent that throws, or the budget expiring, is a failed result.</summary>
    private async Task<FenceResult> RunAgentAsync(FenceDevice device, FenceRequest request, CancellationToken token, CancellationToken caller)
    {
        try
        {
            return await _agents(device.AgentType).RunAsync(request, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return FenceResult.NotRun("stopped: stonith-timeout expired");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return FenceResult.NotRun($"{device.AgentType} failed: {e.Message}");
        }
    }

    /// <summary>Waits <paramref name="delay"/> on the clock, with the wait visible in the history while it lasts.</summary>
    private async Task<FenceHistoryEntry> WaitAsync(FenceHistoryEntry entry, TimeSpan delay, string why, string device, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero)
        {
            return entry;
        }

        // The timer is armed before the history shows the wait, so whoever sees it can move the clock.
        var wait = Task.Delay(delay, _time, ct);
        var waiting = entry with { WaitingUntil = _time.GetUtcNow() + delay };
        FencingLog.Waiting(_logger, entry.Target, (long)delay.TotalMilliseconds, why, device);
        History.Record(waiting);
        await wait.ConfigureAwait(false);
        var done = waiting with { WaitingUntil = null };
        History.Record(done);
        return done;
    }

    private FenceOutcome Finish(FenceHistoryEntry entry, ImmutableArray<FenceAttempt>.Builder attempts, long started, string reason)
    {
        var failed = entry with { Result = FenceHistoryResult.Failed, Detail = reason, WaitingUntil = null, Completed = _time.GetUtcNow() };
        History.Record(failed);
        FencingLog.FenceFailed(_logger, entry.Target, Elapsed(started), reason);
        return new FenceOutcome(false, failed, attempts.ToImmutable());
    }

    private TimeSpan Remaining(long deadlineAt) => _time.GetElapsedTime(_time.GetTimestamp(), deadlineAt);

    private long Elapsed(long started) => (long)_time.GetElapsedTime(started).TotalMilliseconds;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
