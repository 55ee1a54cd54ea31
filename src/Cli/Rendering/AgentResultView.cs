using System.Globalization;
using System.Text;
using ClusterD.Agents;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// What <c>clusterctl agent exec</c> prints: as text, or with <c>--json</c> as one object whose
/// first four keys (<c>rc</c>, <c>name</c>, <c>durationMs</c>, <c>output</c>) are the stable shape.
/// </summary>
/// <param name="Rc">The OCF exit code (also the process exit code).</param>
/// <param name="Name">Its OCF symbol, e.g. <c>OCF_NOT_RUNNING</c>.</param>
/// <param name="Status"><c>completed</c>, <c>timed-out</c>, <c>cancelled</c> or <c>not-run</c>.</param>
internal sealed record AgentResultView(
    int Rc,
    string Name,
    long DurationMs,
    string Output,
    bool OutputTruncated,
    string Agent,
    string Action,
    string Status,
    string? ExitReason,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, string> Extras)
{
    public static AgentResultView From(IResourceAgent agent, AgentAction action, AgentResult result)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(result);
        return new AgentResultView(
            (int)result.ExitCode,
            result.Name,
            (long)result.Duration.TotalMilliseconds,
            result.Output,
            result.OutputTruncated,
            agent.Name.Key,
            action.ToOcfName(),
            result.Status switch
            {
                AgentExecutionStatus.Completed => "completed",
                AgentExecutionStatus.TimedOut => "timed-out",
                AgentExecutionStatus.Cancelled => "cancelled",
                _ => "not-run",
            },
            result.ExitReason,
            [.. result.Warnings],
            new SortedDictionary<string, string>(result.Extras.ToDictionary(), StringComparer.Ordinal));
    }

    /// <summary>
    /// <c>AGENT ACTION: NAME (rc N, description) in D ms [status]</c>, then the reason, warnings,
    /// extras, and the agent's output after a separator.
    /// </summary>
    public string ToText()
    {
        var s = new StringBuilder();
        var description = ((OcfExitCode)Rc).Describe();
        var status = Status == "completed" ? "" : $" [{Status}]";
        s.Append(CultureInfo.InvariantCulture, $"{Agent} {Action}: {Name} (rc {Rc}, {description}) in {DurationMs} ms{status}").AppendLine();
        if (ExitReason is not null)
        {
            s.Append("reason: ").AppendLine(ExitReason);
        }

        foreach (var warning in Warnings)
        {
            s.Append("warning: ").AppendLine(warning);
        }

        foreach (var (key, value) in Extras)
        {
            s.Append(CultureInfo.InvariantCulture, $"{key}: {value}").AppendLine();
        }

        if (Output.Length > 0)
        {
            s.AppendLine(OutputTruncated ? "--- output (truncated) ---" : "--- output ---");
            s.Append(Output);
            if (!Output.EndsWith('\n'))
            {
                s.AppendLine();
            }
        }

        return s.ToString().TrimEnd('\n', '\r');
    }
}
