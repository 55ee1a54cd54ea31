using System.Globalization;
using System.Text;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Cli.Rendering;

/// <summary>The readable forms of a simulated transition: a numbered list, or Graphviz for <c>--dot</c>.</summary>
internal static class SimulateTextRenderer
{
    /// <summary>Placement, then the actions numbered in execution order with the steps each waits for, then warnings.</summary>
    public static string Render(TransitionGraph graph) => TransitionSummary.Render(graph);

    /// <summary>Each transition of a <c>--run</c> as <see cref="Render"/> shows it, then whether the cluster settled.</summary>
    public static string RenderRun(LoopOutcome outcome, int maxTransitions)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var sb = new StringBuilder();
        for (var i = 0; i < outcome.Steps.Length; i++)
        {
            var step = outcome.Steps[i];
            sb.Append(CultureInfo.InvariantCulture, $"=== Transition {i + 1} ===").AppendLine();
            sb.AppendLine(Render(step.Graph));
            if (!step.Result.Completed)
            {
                sb.Append("  stopped: ").AppendLine(step.Result.AbortReason);
            }

            sb.AppendLine();
        }

        sb.Append(outcome.Settled switch
        {
            true when outcome.Steps.IsEmpty => "Settled: nothing to do.",
            true => string.Create(CultureInfo.InvariantCulture, $"Settled after {outcome.Steps.Length} transition{(outcome.Steps.Length == 1 ? "" : "s")}: nothing more to do."),
            false => string.Create(CultureInfo.InvariantCulture, $"Not settled after {maxTransitions} transitions."),
        });
        return sb.ToString();
    }

    /// <summary>A Graphviz digraph: one box per action, an arrow from each action to those waiting for it.</summary>
    public static string RenderDot(TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var sb = new StringBuilder();
        sb.AppendLine("digraph transition {");
        sb.AppendLine("  rankdir=TB;");
        sb.AppendLine("  node [shape=box, fontname=\"monospace\"];");
        foreach (var action in graph.Ordered())
        {
            var style = action.Op == TransitionOp.Fence ? ", style=bold, color=red" : action.Op == TransitionOp.Monitor ? ", style=dashed" : "";
            sb.Append(CultureInfo.InvariantCulture, $"  {Quote(action.Id)} [label={Quote(TransitionSummary.Describe(action))}{style}];").AppendLine();
        }

        foreach (var action in graph.Ordered())
        {
            foreach (var before in graph.After(action.Id))
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {Quote(before)} -> {Quote(action.Id)};").AppendLine();
            }
        }

        sb.Append('}');
        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
