using System.Collections.Immutable;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>
/// This node's executor (Pacemaker's pacemaker-execd and the controller's LRM part): runs the actions the
/// DC asks for, one at a time per resource and in parallel across resources; keeps the operation history
/// (the last result of each operation key) that every status is built from; runs recurring monitors at
/// their interval and cancels a resource's monitors before it starts, stops, promotes or demotes (the
/// new role's monitors come with the transition); raises its own fail counts. Notifications are run and
/// reported but leave no history (as in Pacemaker). Pure: it returns the agent
/// calls to run and what changed; <see cref="ControllerCore"/> reports.
/// </summary>
internal sealed class LocalExecutor(string localNode)
{
    private readonly Dictionary<(string Resource, string Operation, long Interval), OperationRecord> _history = [];
    private readonly Dictionary<(string Resource, long Interval), Monitor> _monitors = [];
    private readonly Dictionary<string, Queue<Job>> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Job> _running = [];
    private int _callId;
    private long _nextKey;
    private long _generation;

    public string LocalNode { get; } = localNode;

    public ImmutableArray<OperationRecord> History => [.. _history.Values.OrderBy(r => r.CallId)];

    /// <summary>Actions requested by a DC that have not finished (reported with op-status -1, pending).</summary>
    public IEnumerable<Job> Pending => _running.Values.Concat(_queued.Values.SelectMany(q => q)).Where(j => j.Request is not null);

    public bool Idle => _running.Count == 0 && _queued.Values.All(q => q.Count == 0);

    public DateTimeOffset? NextMonitorDue => _monitors.Count == 0 ? null : _monitors.Values.Min(m => m.Due);

    /// <summary>Accepts a DC's request; returns the agent calls that can start now.</summary>
    public IReadOnlyList<RunAgent> Accept(ActionRequest request, string dc, DateTimeOffset now)
    {
        var action = new TransitionAction(request.Op, request.Call.Resource, LocalNode, new Duration((long)request.Call.Interval.TotalMilliseconds), request.Role);
        if (request.Op is not (TransitionOp.Monitor or TransitionOp.Notify))
        {
            CancelMonitors(request.Call.Resource);
        }
        else if (!action.IsProbe)
        {
            // A recurring monitor asked for again replaces the one running (its role may have changed).
            CancelMonitor(request.Call.Resource, action.Interval.Milliseconds);
        }

        return Enqueue(new Job(++_nextKey, request.Call, action, request, dc, null, now));
    }

    /// <summary>Monitors that are due; returns the agent calls that can start now.</summary>
    public IReadOnlyList<RunAgent> Tick(DateTimeOffset now)
    {
        var due = _monitors.Values.Where(m => m.Due <= now && !m.Running).OrderBy(m => m.Due).ToList();
        var runs = new List<RunAgent>();
        foreach (var monitor in due)
        {
            monitor.Running = true;
            monitor.Due = DateTimeOffset.MaxValue;
            runs.AddRange(Enqueue(new Job(++_nextKey, monitor.Call, monitor.Action, null, null, monitor, now)));
        }

        return runs;
    }

    /// <summary>
    /// Records a finished call. Returns what happened (null for a result nobody waits for any more: a
    /// cancelled monitor's) and the calls that can start now.
    /// </summary>
    public (Completion? Completion, IReadOnlyList<RunAgent> Next) Finish(long key, ActionResult result, TimeSpan elapsed, DateTimeOffset now)
    {
        if (!_running.Remove(key, out var job))
        {
            return (null, []);
        }

        var next = StartNext(job.Call.Resource);
        if (job.Monitor is { } monitor && !ReferenceEquals(_monitors.GetValueOrDefault((job.Call.Resource, monitor.Action.Interval.Milliseconds)), monitor))
        {
            return (null, next); // cancelled while it ran: its answer is about a role the resource has left
        }

        var succeeded = ActionExpectations.Succeeded(job.Action, result);
        if (job.Action.Op == TransitionOp.Notify)
        {
            // Pacemaker keeps no history of notifications (a failed one fails its transition, nothing more).
            return (new Completion(job, NotifyRecord(job, result, elapsed, now), succeeded, result), next);
        }

        var opKey = (job.Call.Resource, job.Action.OpName, job.Action.Interval.Milliseconds);
        var previous = _history.GetValueOrDefault(opKey);
        var unchanged = previous is not null && previous.RcCode == result.ExitCode && previous.OpStatus == (int)result.Status;
        if (job.Monitor is { } recurring)
        {
            recurring.Running = false;
            recurring.Due = now + job.Call.Interval;
            if (unchanged)
            {
                return (null, next); // Pacemaker records a recurring monitor's result only when it changes
            }
        }
        else if (succeeded && !job.Action.IsProbe && job.Action.Op == TransitionOp.Monitor)
        {
            // The first run of a recurring monitor succeeded: it now runs at its interval.
            _monitors[(job.Call.Resource, job.Action.Interval.Milliseconds)] = new Monitor(job.Call, job.Action, ++_generation) { Due = now + job.Call.Interval };
        }

        var record = new OperationRecord(
            job.Call.Resource, LocalNode, job.Action.OpName, job.Action.Interval, result.ExitCode, ++_callId, (int)result.Status,
            unchanged ? previous!.LastRcChange : now, new Duration((long)elapsed.TotalMilliseconds));
        _history[opKey] = record;
        return (new Completion(job, record, succeeded, result), next);
    }

    /// <summary>
    /// Forgets the history of <paramref name="resource"/> (all when null), so the DC probes again. Its recurring
    /// monitors keep running: the scheduler adds monitors only with a start, promote or demote, so a monitor
    /// stopped here would never come back for an instance the probe finds running, and a death would go unseen.
    /// Their next result is recorded afresh (nothing to compare it with) and reported.
    /// </summary>
    public void Cleanup(string? resource)
    {
        foreach (var key in _history.Keys.Where(k => resource is null || k.Resource == resource).ToList())
        {
            _history.Remove(key);
        }
    }

    private static OperationRecord NotifyRecord(Job job, ActionResult result, TimeSpan elapsed, DateTimeOffset now) =>
        new(job.Call.Resource, job.Action.Node, job.Action.OpName, Duration.Zero, result.ExitCode, int.MaxValue, (int)result.Status, now, new Duration((long)elapsed.TotalMilliseconds));

    private void CancelMonitors(string resource)
    {
        foreach (var key in _monitors.Keys.Where(k => k.Resource == resource).ToList())
        {
            CancelMonitor(resource, key.Interval);
        }

        // A cancelled recurring operation leaves the history, as Pacemaker deletes it from the CIB.
        foreach (var key in _history.Keys.Where(k => k.Resource == resource && k.Operation == "monitor" && k.Interval > 0).ToList())
        {
            _history.Remove(key);
        }
    }

    private void CancelMonitor(string resource, long interval) => _monitors.Remove((resource, interval));

    private List<RunAgent> Enqueue(Job job)
    {
        if (!_queued.TryGetValue(job.Call.Resource, out var queue))
        {
            queue = new Queue<Job>();
            _queued[job.Call.Resource] = queue;
        }

        queue.Enqueue(job);
        return StartNext(job.Call.Resource);
    }

    private List<RunAgent> StartNext(string resource)
    {
        if (_running.Values.Any(j => j.Call.Resource == resource) || !_queued.TryGetValue(resource, out var queue) || !queue.TryDequeue(out var job))
        {
            return [];
        }

        _running[job.Key] = job;
        return [new RunAgent(job.Key, job.Call)];
    }

    /// <summary>One call: a DC's request, or a run of a recurring monitor.</summary>
    internal sealed record Job(long Key, AgentCall Call, TransitionAction Action, ActionRequest? Request, string? Dc, Monitor? Monitor, DateTimeOffset Queued);

    /// <summary>A recurring monitor: its call, when it is next due, and whether a run is under way.</summary>
    internal sealed class Monitor(AgentCall call, TransitionAction action, long generation)
    {
        public AgentCall Call { get; } = call;

        public TransitionAction Action { get; } = action;

        public long Generation { get; } = generation;

        public DateTimeOffset Due { get; set; }

        public bool Running { get; set; }
    }

    /// <summary>A finished call as recorded: what the core reports and raises fail counts from.</summary>
    internal sealed record Completion(Job Job, OperationRecord Record, bool Succeeded, ActionResult Result);
}
