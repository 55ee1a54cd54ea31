using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// What a node's operation history says about one primitive there, as Pacemaker unpacks
/// <c>lrm_rsc_op</c> entries: the results replayed in call order.
/// </summary>
public static class OperationHistory
{
    /// <summary>
    /// Replays the finished results (pending ones, op-status -1, say nothing yet) in call-id order:
    /// start/stop/promote/demote set the role when they succeed (a stop also on 7, already stopped) and mark the instance Failed when not;
    /// monitors report what the agent found (OCF: 0 running, 7 not running, 8 running promoted,
    /// anything else failed). A recurring monitor that finds the instance not running (7) is a failure,
    /// as in Pacemaker: the instance may be half-running, so it is stopped before anything else.
    /// A running instance of a promotable clone is Unpromoted.
    /// </summary>
    public static InstanceRole RoleOf(IEnumerable<OperationRecord> ops, bool promotable)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var role = InstanceRole.Stopped;
        foreach (var op in ops.Where(o => o.OpStatus != -1 && o.CallId >= 0).OrderBy(o => o.CallId))
        {
            var ok = op.OpStatus == 0;
            role = op.Operation switch
            {
                "start" or "migrate_from" => ok && op.RcCode == 0 ? InstanceRole.Started : InstanceRole.Failed,
                "stop" or "migrate_to" => ok && op.RcCode is 0 or 7 ? InstanceRole.Stopped : InstanceRole.Failed,
                "promote" => ok && op.RcCode == 0 ? InstanceRole.Promoted : InstanceRole.Failed,
                "demote" => ok && op.RcCode == 0 ? InstanceRole.Unpromoted : InstanceRole.Failed,
                "monitor" => !ok ? InstanceRole.Failed : op.RcCode switch
                {
                    0 => role == InstanceRole.Unpromoted ? InstanceRole.Unpromoted : InstanceRole.Started,
                    7 => op.Interval == Duration.Zero ? InstanceRole.Stopped : InstanceRole.Failed,
                    8 => InstanceRole.Promoted,
                    _ => InstanceRole.Failed,
                },
                _ => role,
            };
        }

        return role == InstanceRole.Started && promotable ? InstanceRole.Unpromoted : role;
    }
}
