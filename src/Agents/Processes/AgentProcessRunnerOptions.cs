namespace ClusterD.Agents.Processes;

/// <summary>Settings of <see cref="AgentProcessRunner"/>.</summary>
public sealed record AgentProcessRunnerOptions
{
    /// <summary>
    /// util-linux <c>setsid(1)</c>, which starts the program as the leader of a new session and
    /// process group (it calls setsid(2) and execs; it never forks here, because the runtime's
    /// child is not a group leader). Its pid is then the group id the runner signals.
    /// </summary>
    public string SetsidPath { get; init; } = "/usr/bin/setsid";

    /// <summary>
    /// Between SIGTERM and SIGKILL to the group when an action times out or is cancelled: long
    /// enough for a script's trap to clean up, short against typical 20 s action timeouts.
    /// </summary>
    public TimeSpan TerminateGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the group to vanish after SIGKILL before reporting the survivors (processes stuck in uninterruptible sleep).</summary>
    public TimeSpan KillWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the program exits, how long to keep reading output that is still in flight. A
    /// daemon the program left running may hold the pipes open for ever, so reading does not
    /// wait for end of file beyond this.
    /// </summary>
    public TimeSpan DrainGrace { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the group is checked while waiting for it to vanish.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Make this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER) and reap the orphaned
    /// members of the groups it started, so a killed script's grandchildren never linger as
    /// zombies. Off by default: under systemd, PID 1 reaps orphans. Turn it on where PID 1 does
    /// not reap (a container without an init). Daemons that leave the group with setsid(2) are
    /// adopted too and are not reaped by the runner when they exit later.
    /// </summary>
    public bool ReapOrphans { get; init; }
}
