using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// Writes what a transition did into the cluster status the scheduler plans from next, as Pacemaker's
/// controller records operation history in the CIB: the operation's last result (a new call id), the
/// instance's role, fail counts, and the promotion score an agent reported. A failed action leaves the
/// instance <see cref="InstanceRole.Failed"/> with its fail count raised (to INFINITY for a failed start
/// while <c>start-failure-is-fatal</c> is true, the default); the scheduler decides the recovery. A
/// probe records what it found (7: nothing runs there) and a failed probe counts no failure. A
/// fenced node is offline and clean, with nothing running and its history and transient attributes
/// (fail counts, promotion scores) erased.
/// </summary>
public static class StatusRecorder
{
    /// <summary>
    /// Records every executed action of a transition, in the order they finished. One pass over the
    /// status, not one per action: a transition of thousands of actions costs as much as it has
    /// actions, not their number times the size of the status.
    /// </summary>
    public static ClusterStatus Record(ClusterStatus status, ClusterConfig config, TransitionResult result)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(result);
        var draft = new Draft(status, ConfigIndex.Of(config));
        foreach (var executed in result.Executed)
        {
            draft.Record(executed);
        }

        return draft.Build();
    }

    public static ClusterStatus Record(ClusterStatus status, ClusterConfig config, ExecutedAction executed)
    {
        ArgumentNullException.ThrowIfNull(status);
        var draft = new Draft(status, ConfigIndex.Of(config));
        draft.Record(executed);
        return draft.Build();
    }

    /// <summary>
    /// The status being written: operations and fail counts as lists in which a replaced entry leaves
    /// a hole (the new one goes to the end, as a fresh record does), with their positions by key;
    /// resources by id. <see cref="Build"/> makes the snapshot again.
    /// </summary>
    private sealed class Draft
    {
        private readonly ClusterStatus _status;
        private readonly ConfigIndex _index;
        private readonly List<NodeStatus> _nodes;
        private readonly List<OperationRecord?> _operations;
        private readonly Dictionary<(string, string, string, Duration), List<int>> _operationsByKey = [];
        private readonly List<Failcount?> _failcounts;
        private readonly Dictionary<(string, string), List<int>> _failcountsByKey = [];
        private readonly List<ResourceStatus> _resources;
        private readonly Dictionary<string, ResourceStatus> _resourcesById = new(StringComparer.Ordinal);
        private int _maxCallId; // the highest call id in the history; 0 when it is empty

        // Recording an operation lists the resources by id from then on (as the status has always been written).
        private bool _resourcesChanged;

        public Draft(ClusterStatus status, ConfigIndex index)
        {
            _status = status;
            _index = index;
            _nodes = [.. status.Nodes];
            _operations = [.. status.Operations];
            for (var i = 0; i < _operations.Count; i++)
            {
                Positions(_operationsByKey, Key(_operations[i]!)).Add(i);
            }

            _maxCallId = status.Operations.IsEmpty ? 0 : status.Operations.Max(o => o.CallId);
            _failcounts = [.. status.Failcounts];
            for (var i = 0; i < _failcounts.Count; i++)
            {
                Positions(_failcountsByKey, (_failcounts[i]!.Resource, _failcounts[i]!.Node)).Add(i);
            }

            _resources = [.. status.Resources];
            foreach (var resource in _resources)
            {
                _resourcesById.TryAdd(resource.Id, resource);
            }
        }

        public void Record(ExecutedAction executed)
        {
            ArgumentNullException.ThrowIfNull(executed);
            var action = executed.Action;
            if (action.Op == TransitionOp.Notify)
            {
                return; // a notification changes no role and, as in Pacemaker, leaves no history
            }

            if (action.Op == TransitionOp.Fence)
            {
                if (executed.Succeeded)
                {
                    Fenced(action.Node);
                }

                return;
            }

            var result = executed.Result;
            var finishedAt = executed.Started + executed.Elapsed;
            var previous = LastOperation(action.Resource, action.Node, action.OpName, action.Interval);
            var sameResult = previous is not null && previous.RcCode == result.ExitCode && previous.OpStatus == (int)result.Status;
            // A new call id is one more than the highest recorded (1 in an empty history).
            _maxCallId++;
            var record = new OperationRecord(action.Resource, action.Node, action.OpName, action.Interval, result.ExitCode,
                CallId: _maxCallId,
                OpStatus: (int)result.Status,
                LastRcChange: sameResult ? previous!.LastRcChange : finishedAt,
                ExecTime: new Duration((long)executed.Elapsed.TotalMilliseconds));
            var key = Key(record);
            Replace(_operations, _operationsByKey, key, record);
            SetRole(action, NewRole(executed));
            if (!executed.Succeeded && !action.IsProbe)
            {
                RaiseFailcount(action, finishedAt);
            }

            if (result.PromotionScore is { } score)
            {
                for (var i = 0; i < _nodes.Count; i++)
                {
                    if (_nodes[i].Name == action.Node)
                    {
                        _nodes[i] = _nodes[i] with { Attributes = _nodes[i].Attributes.SetItem(NodeStatus.PromotionAttribute(action.Resource), score.ToString()) };
                    }
                }
            }
        }

        public ClusterStatus Build() => _status with
        {
            Nodes = [.. _nodes],
            Operations = [.. _operations.OfType<OperationRecord>()],
            Failcounts = [.. _failcounts.OfType<Failcount>()],
            Resources = _resourcesChanged
                ? [.. _resourcesById.Values.OrderBy(r => r.Id, StringComparer.Ordinal)]
                : [.. _resources],
        };

        private OperationRecord? LastOperation(string resource, string node, string operation, Duration interval) =>
            _operationsByKey.TryGetValue((resource, node, operation, interval), out var at) && at.Count > 0 ? _operations[at[0]] : null;

        private InstanceRole RoleOf(string resource, string node) =>
            _resourcesById.TryGetValue(resource, out var r) ? r.RoleOn(node) : InstanceRole.Stopped;

        private InstanceRole NewRole(ExecutedAction executed)
        {
            var action = executed.Action;
            if (!executed.Succeeded)
            {
                return InstanceRole.Failed;
            }

            var started = _index.IsPromotable(action.Resource) ? InstanceRole.Unpromoted : InstanceRole.Started;
            return action.Op switch
            {
                _ when action.IsProbe && executed.Result.ExitCode == 7 => InstanceRole.Stopped,
                TransitionOp.Start => started,
                TransitionOp.Stop => InstanceRole.Stopped,
                TransitionOp.Promote => InstanceRole.Promoted,
                TransitionOp.Demote => InstanceRole.Unpromoted,
                _ when executed.Result.ExitCode == 8 => InstanceRole.Promoted,
                _ => RoleOf(action.Resource, action.Node) is InstanceRole.Stopped or InstanceRole.Failed ? started : RoleOf(action.Resource, action.Node),
            };
        }

        private void SetRole(TransitionAction action, InstanceRole role)
        {
            var existing = _resourcesById.GetValueOrDefault(action.Resource)
                ?? new ResourceStatus(action.Resource, (_index.FindResource(action.Resource) as Primitive)?.Agent.ToString() ?? "");
            var instances = existing.Instances.Where(i => i.Node != action.Node).ToList();
            if (role != InstanceRole.Stopped)
            {
                instances.Add(new ResourceInstance(action.Node, role));
            }

            _resourcesById[action.Resource] = existing with { Instances = [.. instances.OrderBy(i => i.Node, StringComparer.Ordinal)] };
            _resourcesChanged = true;
        }

        private void RaiseFailcount(TransitionAction action, DateTimeOffset at)
        {
            var key = (action.Resource, action.Node);
            var current = _failcountsByKey.TryGetValue(key, out var positions) && positions.Count > 0
                ? _failcounts[positions[0]]!
                : new Failcount(action.Resource, action.Node, Score.Zero);
            var fatalStart = action.Op == TransitionOp.Start
                && !string.Equals(_index.Config.Properties.Other.Get("start-failure-is-fatal"), "false", StringComparison.OrdinalIgnoreCase);
            var raised = current with { Count = fatalStart ? Score.Infinity : current.Count + new Score(1), LastFailure = at };
            Replace(_failcounts, _failcountsByKey, key, raised);
        }

        /// <summary>A fenced node is offline and clean, with nothing running and its history and transient attributes erased.</summary>
        private void Fenced(string node)
        {
            for (var i = 0; i < _nodes.Count; i++)
            {
                if (_nodes[i].Name == node)
                {
                    _nodes[i] = _nodes[i] with { Online = false, Unclean = false, Attributes = AttributeMap.Empty };
                }
            }

            for (var i = 0; i < _resources.Count; i++)
            {
                _resources[i] = _resources[i] with { Instances = [.. _resources[i].Instances.Where(x => x.Node != node)] };
            }

            foreach (var (id, resource) in _resourcesById.ToList())
            {
                _resourcesById[id] = resource with { Instances = [.. resource.Instances.Where(x => x.Node != node)] };
            }

            Erase(_operations, _operationsByKey, o => o.Node == node);
            Erase(_failcounts, _failcountsByKey, f => f.Node == node);
            var remaining = _operations.OfType<OperationRecord>().ToList();
            _maxCallId = remaining.Count == 0 ? 0 : remaining.Max(o => o.CallId);
        }

        private static (string, string, string, Duration) Key(OperationRecord o) => (o.Resource, o.Node, o.Operation, o.Interval);

        private static List<int> Positions<TKey>(Dictionary<TKey, List<int>> byKey, TKey key)
            where TKey : notnull
        {
            if (!byKey.TryGetValue(key, out var positions))
            {
                positions = [];
                byKey[key] = positions;
            }

            return positions;
        }

        /// <summary>Removes every entry with <paramref name="key"/> and appends <paramref name="value"/>.</summary>
        private static void Replace<TKey, T>(List<T?> list, Dictionary<TKey, List<int>> byKey, TKey key, T value)
            where TKey : notnull
            where T : class
        {
            var positions = Positions(byKey, key);
            foreach (var i in positions)
            {
                list[i] = null;
            }

            positions.Clear();
            positions.Add(list.Count);
            list.Add(value);
        }

        private static void Erase<TKey, T>(List<T?> list, Dictionary<TKey, List<int>> byKey, Func<T, bool> match)
            where TKey : notnull
            where T : class
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is { } item && match(item))
                {
                    list[i] = null;
                }
            }

            foreach (var positions in byKey.Values)
            {
                positions.RemoveAll(i => list[i] is null);
            }
        }
    }
}
