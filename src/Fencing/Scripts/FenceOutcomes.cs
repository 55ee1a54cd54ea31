using System.Globalization;
using ClusterD.Agents.Processes;

namespace ClusterD.Fencing.Scripts;

/// <summary>
/// Reads a finished fence agent run (<see cref="ProcessOutcome"/>) as a <see cref="FenceResult"/>. Pure.
/// Success is the exit status alone (0; for <c>status</c> also 2 = off), never the output: agents print
/// "Success: Powered OFF" and tracebacks alike, and the output is hostile text.
/// </summary>
internal static class FenceOutcomes
{
    /// <summary>Longest reason taken from an agent's output.</summary>
    public const int MaxReasonLength = 300;

    public static FenceResult From(FenceAction action, ProcessOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var ms = ((long)outcome.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        switch (outcome.Completion)
        {
            case ProcessCompletion.StartFailed:
                return FenceResult.NotRun(outcome.Error ?? "could not start");
            case ProcessCompletion.TimedOut:
                return FenceResult.NotRun(Join($"timed out after {ms} ms", outcome.Error), outcome.Output);
            case ProcessCompletion.Cancelled:
                return FenceResult.NotRun(Join($"cancelled after {ms} ms", outcome.Error), outcome.Output);
        }

        var code = outcome.ExitStatus ?? FenceExitCodes.NotRun;
        var succeeded = code == FenceExitCodes.Success || (action == FenceAction.Status && code == FenceExitCodes.StatusOff);
        if (succeeded)
        {
            return new FenceResult(true, code, null, outcome.Output);
        }

        var what = code > 128 ? $"killed by signal {code - 128}" : $"exit status {code}";
        return new FenceResult(false, code, Join(what, ErrorLine(outcome.Output)), outcome.Output);
    }

    /// <summary>
    /// The line of the output that best says what went wrong: the last one with <c>ERROR</c> or <c>Failed</c>
    /// (fence-agents log <c>fail()</c> messages so), else the last non-empty one; control characters
    /// replaced, bounded.
    /// </summary>
    internal static string? ErrorLine(string? output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return null;
        }

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = lines.LastOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal) && !l.Contains("Please use '-h'", StringComparison.Ordinal))
            ?? lines.LastOrDefault(l => l.Contains("Failed", StringComparison.Ordinal))
            ?? lines.LastOrDefault();
        if (line is null)
        {
            return null;
        }

        var clean = string.Create(Math.Min(line.Length, MaxReasonLength), line, static (span, s) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
        return line.Length > MaxReasonLength ? clean + "..." : clean;
    }

    private static string Join(string head, string? detail) => detail is null ? head : $"{head}: {detail}";
}
