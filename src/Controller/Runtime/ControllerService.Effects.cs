using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Execution;

namespace ClusterD.Controller.Runtime;

/// <summary>Performing what the core decided.</summary>
public sealed partial class ControllerService
{
    private void Perform(IReadOnlyList<ControllerEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendMessage send:
                    _transport.Send(send.To, ControllerCodec.Encode(send.Message));
                    break;
                case RunAgent run:
                    _ = RunAgentAsync(run);
                    break;
                case RunFence fence:
                    _ = FenceAsync(fence);
                    break;
                case PowerOn powerOn:
                    _ = PowerOnAsync(powerOn);
                    break;
                case PersistConfig persist:
                    try
                    {
                        _storage.SaveConfig(persist.Config);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        ControllerLog.PersistFailed(_logger, persist.Config.Version, e.Message);
                    }

                    break;
                case JournalDecision journal:
                    try
                    {
                        _storage.RecordDecision(journal.Config, journal.Status, journal.Now, journal.Graph);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        ControllerLog.JournalFailed(_logger, e.Message);
                    }

                    break;
                case PublishEvent published:
                    Publish(published.Event);
                    break;
                case AdminReply reply:
                    if (_replies.TryGetValue(reply.RequestId, out var waiting))
                    {
                        waiting.TrySetResult(reply.Outcome);
                    }

                    break;
                case ArmWatchdog arm:
                    _watchdog?.Arm(arm.Device, arm.Timeout);
                    break;
                case FeedWatchdog:
                    _watchdog?.Feed();
                    break;
                case DisarmWatchdog:
                    _watchdog?.Disarm();
                    break;
                case AcknowledgeScheduledEvent ack:
                    Acknowledger?.Acknowledge(ack.EventId);
                    break;
                case SetDetectionCovers covers:
                    CoverSink?.SetCovers(covers.Covers);
                    break;
                case ReadyToLeave leave:
                    _leave.TrySetResult(leave.Reason);
                    break;
            }
        }
    }

    private async Task RunAgentAsync(RunAgent run)
    {
        var started = _time.GetTimestamp();
        ActionResult result;
        try
        {
            // The agent enforces the call's timeout itself (process-group kill); this guard only catches
            // one that never returns, so the executor's per-resource queue cannot stall for ever.
            using var guard = new CancellationTokenSource(run.Call.Timeout + TimeSpan.FromSeconds(10), _time);
            result = await _agents.RunAsync(run.Call, guard.Token).WaitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            result = ActionResult.TimedOut($"no result within {run.Call.Timeout.TotalSeconds:0.###} s + 10 s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result = ActionResult.Error($"{e.GetType().Name}: {e.Message}");
        }

        Post(new AgentFinished(run.Key, result, _time.GetElapsedTime(started)));
    }

    private async Task FenceAsync(RunFence fence)
    {
        var record = new FenceRecord(fence.Target, fence.Device, LocalNode, null, null, _time.GetUtcNow(), null);
        AddFence(record);
        bool succeeded;
        string? reason;
        var deferred = false;
        try
        {
            (succeeded, reason, deferred) = await _fencer.FenceAsync(fence.Target, fence.Device, fence.Reason, fence.Config, fence.Status, _stopping.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            (succeeded, reason) = (false, $"{e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return;
        }

        AddFence(record with { Succeeded = succeeded, Reason = reason, Completed = _time.GetUtcNow() });
        Post(new FenceFinished(fence.Target, succeeded, reason, deferred));
    }

    /// <summary>Runs a deferred power-on; the fencer logs its result (a failure leaves the node off, nothing else depends on it).</summary>
    private async Task PowerOnAsync(PowerOn powerOn)
    {
        try
        {
            await _fencer.PowerOnAsync(powerOn.Node, powerOn.Config, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ControllerLog.PowerOnFailed(_logger, powerOn.Node, $"{e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void AddFence(FenceRecord record)
    {
        lock (_replies)
        {
            var history = _fencing.RemoveAll(r => r.Target == record.Target && r.Requested == record.Requested && r.Succeeded is null).Add(record);
            _fencing = history.Length > MaxFenceRecords ? history.RemoveRange(0, history.Length - MaxFenceRecords) : history;
        }
    }

    private void Publish(ControllerEvent e)
    {
        ControllerLog.Event(_logger, e.Kind, e.Message);
        if (e.Kind is ControllerEventKind.ActionFinished or ControllerEventKind.FenceFinished && e.Succeeded == false)
        {
            var failed = _failed.Add(e);
            _failed = failed.Length > MaxFailedActions ? failed.RemoveAt(0) : failed;
        }

        Published?.Invoke(e);
    }
}
