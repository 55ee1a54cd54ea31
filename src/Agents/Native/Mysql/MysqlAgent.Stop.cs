using System.Collections.Immutable;
using System.Globalization;
using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Native.Mysql;

public sealed partial class MysqlAgent
{
    /// <summary>Names of wrappers that restart a server killed under them; they are killed first on escalation.</summary>
    private static readonly string[] Wrappers = ["mysqld_safe", "mariadbd-safe", "mariadb-safe"];

    /// <summary>
    /// Stop: SIGTERM (the server's clean shutdown: it flushes InnoDB, removes its pid file and
    /// socket), wait up to the shutdown timeout, then SIGKILL; success only once no process uses
    /// the datadir any more (the process is gone, so its locks and listening sockets are too),
    /// never because a signal was sent (field notes §4.19). A stopped server is success; leftovers
    /// of a killed one (pid file, dead socket) are removed.
    /// </summary>
    private async Task<AgentResult> StopAsync(AgentRequest request, MysqlSettings settings, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        var shutdownTimeout = ShutdownTimeout(request.Timeout);
        var how = "was not running";
        var rounds = 0;
        while (ServerLocator.Find(settings, Launched(request)) is { } server)
        {
            // A second round only happens when something started another server on the datadir meanwhile; stop that too.
            if (++rounds > 3)
            {
                return Result(OcfExitCode.GenericError, $"servers keep appearing on {settings.DataDirectory}: pid {server.Pid} ({server.Command})");
            }

            Posix.SignalProcess(server.Pid, Posix.SigTerm);
            var remaining = shutdownTimeout - Time.GetElapsedTime(started);
            if (await WaitGoneAsync(server.Pid, remaining, cancellationToken).ConfigureAwait(false))
            {
                how = $"shut down (SIGTERM) pid {server.Pid.ToString(CultureInfo.InvariantCulture)}";
                continue;
            }

            var parent = ProcessInfo.ParentPid(server.Pid);
            if (parent > 1 && ProcessInfo.Comm(parent) is { } wrapper && Wrappers.Contains(wrapper))
            {
                Posix.SignalProcess(parent, Posix.SigKill);
            }

            Posix.SignalProcess(server.Pid, Posix.SigKill);
            // No deadline of our own: the action's token bounds it, and success needs the process gone.
            await WaitGoneAsync(server.Pid, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            how = $"killed (SIGKILL) pid {server.Pid.ToString(CultureInfo.InvariantCulture)} after {shutdownTimeout.TotalSeconds:0.#} s without a clean shutdown";
        }

        _launched.TryRemove(request.ResourceInstance, out _);
        await RemoveLeftoversAsync(settings, cancellationToken).ConfigureAwait(false);
        return Result(OcfExitCode.Success) with
        {
            Extras = ImmutableDictionary<string, string>.Empty.Add("stop", how),
        };
    }

    /// <summary>
    /// How long a clean shutdown may take before SIGKILL: the action's timeout less a margin for
    /// the kill and the checks, like the script's <c>timeout/1000 - 5</c> s, but never less than
    /// three quarters of a short timeout.
    /// </summary>
    internal static TimeSpan ShutdownTimeout(TimeSpan actionTimeout) =>
        actionTimeout - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, actionTimeout.Ticks / 4));

    /// <summary>True once <paramref name="pid"/> is gone (or a zombie), false when <paramref name="within"/> passes first.</summary>
    private async Task<bool> WaitGoneAsync(int pid, TimeSpan within, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        while (ProcessInfo.IsAlive(pid))
        {
            if (within != Timeout.InfiniteTimeSpan && Time.GetElapsedTime(started) >= within)
            {
                return false;
            }

            await Task.Delay(PollInterval, Time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The pid file of a dead server and a socket nobody listens on any more; what a killed server leaves.</summary>
    private static async Task RemoveLeftoversAsync(MysqlSettings settings, CancellationToken cancellationToken)
    {
        if (ServerProcess.ReadPidFile(settings.PidFile) is { } pid && !ProcessInfo.IsAlive(pid))
        {
            File.Delete(settings.PidFile);
        }

        if (File.Exists(settings.Socket) && !await MysqlProbe.SocketAnswersAsync(settings.Socket, cancellationToken).ConfigureAwait(false))
        {
            File.Delete(settings.Socket);
        }
    }
}
