using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Scripts;

/// <summary>Turns a script run into an <see cref="AgentResult"/>: the pure part of every script agent.</summary>
public static class ScriptResults
{
    /// <summary>
    /// Maps <paramref name="outcome"/>; <paramref name="mapExitStatus"/> maps a normal exit status
    /// to OCF (identity-with-bounds for OCF agents, the LSB tables for init scripts). A timeout or
    /// cancellation is <see cref="OcfExitCode.GenericError"/> with the runner's account of what
    /// was still running as the exit reason; a failed start is <see cref="OcfExitCode.NotInstalled"/>.
    /// </summary>
    public static AgentResult FromOutcome(ProcessOutcome outcome, Func<int, OcfExitCode> mapExitStatus)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(mapExitStatus);
        var agentReason = OcfEnvironment.FindExitReason(outcome.Output);
        var (code, status, reason) = outcome.Completion switch
        {
            ProcessCompletion.Exited => (mapExitStatus(outcome.ExitStatus ?? 1), AgentExecutionStatus.Completed, agentReason),
            ProcessCompletion.TimedOut => (OcfExitCode.GenericError, AgentExecutionStatus.TimedOut, outcome.Error),
            ProcessCompletion.Cancelled => (OcfExitCode.GenericError, AgentExecutionStatus.Cancelled, outcome.Error),
            _ => (OcfExitCode.NotInstalled, AgentExecutionStatus.NotRun, outcome.Error),
        };
        if (outcome.Completion == ProcessCompletion.Exited && outcome.ExitStatus is 126 or 127 && reason is null)
        {
            // setsid(1) exits 126/127 when it cannot exec the agent (no interpreter, not executable).
            reason = "the agent could not be executed (exit status " + outcome.ExitStatus + ")";
        }

        var extras = agentReason is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [AgentResultExtras.ExitReason] = agentReason };
        return new AgentResult(code, status, outcome.Duration)
        {
            Output = outcome.Output,
            OutputTruncated = outcome.OutputTruncated,
            RawExitStatus = outcome.ExitStatus,
            ExitReason = reason,
            Extras = extras,
        };
    }

    /// <summary>True when <paramref name="path"/> is a regular file someone may execute.</summary>
    public static bool IsExecutableFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists
                && (info.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
