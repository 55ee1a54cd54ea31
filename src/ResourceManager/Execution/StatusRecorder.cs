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
    public static ClusterStatus Record(ClusterStatus status, ClusterConfig config, TransitionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var index = new ConfigIndex(config);
        return result.Executed.Aggregate(status, (current, executed) => Record(current, index, executed));
    }

    public static ClusterStatus Record(ClusterStatus status, ClusterConfig config, ExecutedAction executed) =>
        Record(status, new ConfigIndex(config), executed);

    private static ClusterStatus Record(ClusterStatus status, ConfigIndex index, ExecutedAction executed)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(executed);
        var action = executed.Action;
        if (action.Op == TransitionOp.Fence)
        {
            return executed.Succeeded ? Fenced(status, action.Node) : status;
        }

        var result = executed.Result;
        var finishedAt = executed.Started + executed.Elapsed;
        var previous = status.LastOperation(action.Resource, action.Node, action.OpName, action.Interval);
        var sameResult = previous is not null && previous.RcCode == result.ExitCode && previous.OpStatus == (int)result.Status;
        var record = new OperationRecord(action.Resource, action.Node, action.OpName, action.Interval, result.ExitCode,
            CallId: status.Operations.IsEmpty ? 1 : status.Operations.Max(o => o.CallId) + 1,
            OpStatus: (int)result.Status,
            LastRcChange: sameResult ? previous!.LastRcChange : finishedAt,
            ExecTime: new Duration((long)executed.Elapsed.TotalMilliseconds));
        var updated = status with
        {
            Operations = [.. status.Operations.Where(o => !SameOperation(o, record)), record],
            Resources = WithRole(status, index, action, NewRole(status, index, executed)),
        };
        if (!executed.Succeeded && !action.IsProbe)
        {
            updated = updated with { Failcounts = RaisedFailcount(updated, index, action, finishedAt) };
        }

        if (result.PromotionScore is { } score)
        {
            updated = updated with
            {
                Nodes = [.. updated.Nodes.Select(n => n.Name == action.Node
                    ? n with { Attributes = n.Attributes.SetItem(NodeStatus.PromotionAttribute(action.Resource), score.ToString()) }
                    : n)],
            };
        }

        return updated;
    }

    private static InstanceRole NewRole(ClusterStatus status, ConfigIndex index, ExecutedAction executed)
    {
        var action = executed.Action;
        if (!executed.Succeeded)
        {
            return InstanceRole.Failed;
        }

        var started = index.IsPromotable(action.Resource) ? InstanceRole.Unpromoted : InstanceRole.Started;
        return action.Op switch
        {
            _ when action.IsProbe && executed.Result.ExitCode == 7 => InstanceRole.Stopped,
            TransitionOp.Start => started,
            TransitionOp.Stop => InstanceRole.Stopped,
            TransitionOp.Promote => InstanceRole.Promoted,
            TransitionOp.Demote => InstanceRole.Unpromoted,
            _ when executed.Result.ExitCode == 8 => InstanceRole.Promoted,
            _ => status.RoleOf(action.Resource, action.Node) is InstanceRole.Stopped or InstanceRole.Failed ? started : status.RoleOf(action.Resource, action.Node),
        };
    }

    private static EquatableArray<ResourceStatus> WithRole(ClusterStatus status, ConfigIndex index, TransitionAction action, InstanceRole role)
    {
        var existing = status.FindResource(action.Resource)
            ?? new ResourceStatus(action.Resource, (index.FindResource(action.Resource) as Primitive)?.Agent.ToString() ?? "");
        var instances = existing.Instances.Where(i => i.Node != action.Node).ToList();
        if (role != InstanceRole.Stopped)
        {
            instances.Add(new ResourceInstance(action.Node, role));
        }

        var resource = existing with { Instances = [.. instances.OrderBy(i => i.Node, StringComparer.Ordinal)] };
        return [.. status.Resources.Where(r => r.Id != action.Resource).Append(resource).OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    private static EquatableArray<Failcount> RaisedFailcount(ClusterStatus status, ConfigIndex index, TransitionAction action, DateTimeOffset at)
    {
        var current = status.FailcountOf(action.Resource, action.Node);
        var fatalStart = action.Op == TransitionOp.Start
            && !string.Equals(index.Config.Properties.Other.Get("start-failure-is-fatal"), "false", StringComparison.OrdinalIgnoreCase);
        var raised = current with { Count = fatalStart ? Score.Infinity : current.Count + new Score(1), LastFailure = at };
        return [.. status.Failcounts.Where(f => !(f.Resource == action.Resource && f.Node == action.Node)).Append(raised)];
    }

    private static ClusterStatus Fenced(ClusterStatus status, string node) => status with
    {
        Nodes = [.. status.Nodes.Select(n => n.Name == node ? n with { Online = false, Unclean = false, Attributes = AttributeMap.Empty } : n)],
        Resources = [.. status.Resources.Select(r => r with { Instances = [.. r.Instances.Where(i => i.Node != node)] })],
        Operations = [.. status.Operations.Where(o => o.Node != node)],
        Failcounts = [.. status.Failcounts.Where(f => f.Node != node)],
    };

    private static bool SameOperation(OperationRecord a, OperationRecord b) =>
        a.Resource == b.Resource && a.Node == b.Node && a.Operation == b.Operation && a.Interval == b.Interval;
}
