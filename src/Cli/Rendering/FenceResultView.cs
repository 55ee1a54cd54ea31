using System.Globalization;
using System.Text;
using ClusterD.Fencing;
using ClusterD.Fencing.Scripts;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// What <c>clusterctl agent exec stonith:TYPE ACTION</c> prints: as text, or with <c>--json</c> as one object.
/// </summary>
/// <param name="Rc">The fence agent's exit status (0 success or on, 1 failure, 2 off for status); also the process exit code.</param>
/// <param name="Succeeded">Whether the action did what was asked (for status: the power state is known).</param>
/// <param name="PowerOnDeferred">A reboot that powered off and left the power-on for after recovery.</param>
internal sealed record FenceResultView(int Rc, bool Succeeded, long DurationMs, string Output, string Agent, string Action, string? Plug, string? Reason, bool PowerOnDeferred)
{
    public static FenceResultView From(string agent, FenceAction action, string? plug, FenceResult result, TimeSpan duration) => new(
        result.ExitCode < 0 ? FenceExitCodes.Error : result.ExitCode,
        result.Succeeded,
        (long)duration.TotalMilliseconds,
        result.Output ?? "",
        agent,
        FenceActionNames.ToAgentName(action),
        plug,
        result.Reason,
        result.PowerOnDeferred);

    /// <summary><c>AGENT ACTION PLUG: succeeded|failed (rc N) in D ms</c>, the reason, then the agent's output.</summary>
    public string ToText()
    {
        var s = new StringBuilder();
        var target = Plug is null ? "" : " " + Plug;
        var what = !Succeeded ? "failed" : Action == "status" ? (Rc == FenceExitCodes.StatusOff ? "off" : "on") : "succeeded";
        s.Append(CultureInfo.InvariantCulture, $"{Agent} {Action}{target}: {what} (rc {Rc}) in {DurationMs} ms").AppendLine();
        if (Reason is not null)
        {
            s.Append("reason: ").AppendLine(Reason);
        }

        if (PowerOnDeferred)
        {
            s.AppendLine("power-on deferred: run the 'on' action once the cluster has recovered");
        }

        if (Output.Length > 0)
        {
            s.AppendLine("--- output ---").Append(Output);
        }

        return s.ToString().TrimEnd('\n', '\r');
    }
}
