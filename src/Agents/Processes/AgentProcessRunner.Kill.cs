using System.Diagnostics;

namespace ClusterD.Agents.Processes;

/// <summary>Terminating and reaping a process group.</summary>
public sealed partial class AgentProcessRunner
{
    /// <summary>
    /// SIGTERM to the group, SIGKILL after the grace period, then wait until nothing in the group
    /// runs. Returns a description of what was running (which command hung) for the result.
    /// </summary>
    private async Task<string> KillGroupAsync(ProcessSpec spec, Process process, int pgid, ProcessCompletion why, long started)
    {
        var members = Describe(ProcessGroup.Members(pgid));
        var reason = why == ProcessCompletion.TimedOut
            ? $"timed out after {spec.Timeout.TotalMilliseconds:0} ms"
            : "cancelled";
        AgentsLog.KillingGroup(_logger, spec.FileName, pgid, reason, (long)_time.GetElapsedTime(started).TotalMilliseconds, members);

        Posix.SignalGroup(pgid, Posix.SigTerm);
        if (!await WaitGoneAsync(process, pgid, _options.TerminateGrace).ConfigureAwait(false))
        {
            Posix.SignalGroup(pgid, Posix.SigKill);

            // The leader may still be between fork and setsid(2) (not yet a group leader): kill it by pid too.
            Posix.SignalProcess(pgid, Posix.SigKill);
            if (!await WaitGoneAsync(process, pgid, _options.KillWait).ConfigureAwait(false))
            {
                var survivors = Describe(ProcessGroup.Members(pgid).Where(m => m.State != 'Z'));
                AgentsLog.GroupSurvivedKill(_logger, pgid, spec.FileName, (long)_options.KillWait.TotalMilliseconds, survivors);
                return $"{reason}; process group {pgid} was running: {members}; still running after SIGKILL: {survivors}";
            }
        }

        return $"{reason}; process group {pgid} was running: {members}";
    }

    private async Task<bool> WaitGoneAsync(Process process, int pgid, TimeSpan limit)
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            // HasExited reaps the leader through the runtime; only then may members be reaped here.
            var leaderGone = process.HasExited;
            if (leaderGone && _options.ReapOrphans)
            {
                ReapGroup(pgid);
            }

            if (leaderGone && ProcessGroup.IsGone(pgid))
            {
                return true;
            }

            if (_time.GetElapsedTime(start) >= limit)
            {
                return false;
            }

            await Task.Delay(_options.PollInterval, _time).ConfigureAwait(false);
        }
    }

    /// <summary>Reaps the exited members of <paramref name="pgid"/> that were orphaned to this process (the leader is already reaped).</summary>
    private static void ReapGroup(int pgid)
    {
        while (Posix.ReapOneInGroup(pgid) > 0)
        {
        }
    }

    /// <summary>Reaps members of earlier groups that exited since; forgets groups with no child of ours left.</summary>
    private static void ReapAdoptedGroups()
    {
        foreach (var pgid in AdoptedGroups.Keys)
        {
            int reaped;
            while ((reaped = Posix.ReapOneInGroup(pgid)) > 0)
            {
            }

            if (reaped < 0)
            {
                AdoptedGroups.TryRemove(pgid, out _);
            }
        }
    }

    private static string Describe(IEnumerable<ProcessGroup.Member> members)
    {
        var text = string.Join(", ", members);
        return text.Length == 0 ? "(no process)" : text;
    }
}
