using System.Globalization;
using System.Text;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// The readable form of a transition, as <c>clusterctl simulate</c> prints it and the decision journal
/// keeps it: the placement, then the actions numbered in execution order with the steps each waits
/// for, then the warnings.
/// </summary>
public static class TransitionSummary
{
    public static string Render(TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var sb = new StringBuilder();
        sb.AppendLine("Placement after the transition:");
        if (graph.Placement.IsEmpty)
        {
            sb.AppendLine("  (nothing runs)");
        }

        var width = graph.Placement.Select(p => p.Resource.Length).DefaultIfEmpty(0).Max();
        var nodeWidth = graph.Placement.Select(p => p.Node.Length).DefaultIfEmpty(0).Max();
        foreach (var p in graph.Placement)
        {
            sb.Append("  ").Append(p.Resource.PadRight(width)).Append("  ").Append(p.Node.PadRight(nodeWidth)).Append("  ").AppendLine(ResourceRoles.Name(p.Role));
        }

        sb.AppendLine();
        var ordered = graph.Ordered();
        if (ordered.IsEmpty)
        {
            sb.AppendLine("Transition: nothing to do.");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"Transition ({ordered.Length} actions, in execution order):").AppendLine();
            var step = ordered.Select((a, i) => (a.Id, i + 1)).ToDictionary(p => p.Id, p => p.Item2, StringComparer.Ordinal);
            var numberWidth = ordered.Length.ToString(CultureInfo.InvariantCulture).Length;
            foreach (var action in ordered)
            {
                var after = graph.After(action.Id);
                sb.Append("  ").Append(step[action.Id].ToString(CultureInfo.InvariantCulture).PadLeft(numberWidth)).Append(". ").Append(Describe(action));
                if (!after.IsEmpty)
                {
                    sb.Append("  (after ").AppendJoin(", ", after.Select(id => step[id]).Order().Select(n => n.ToString(CultureInfo.InvariantCulture))).Append(')');
                }

                sb.AppendLine();
            }
        }

        if (!graph.Warnings.IsEmpty)
        {
            sb.AppendLine().AppendLine("Warnings:");
            foreach (var warning in graph.Warnings)
            {
                sb.Append("  ! ").AppendLine(warning);
            }
        }

        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>One action in words: <c>fence hadb01 with st-azure</c>, <c>monitor mysqld on hadb02 every 10s</c>,
    /// <c>notify drbd_mysql on hadb02 (pre-promote)</c>.</summary>
    public static string Describe(TransitionAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Op switch
        {
            TransitionOp.Fence => action.Resource.Length == 0 ? $"fence {action.Node} (no fence device configured)" : $"fence {action.Node} with {action.Resource}",
            TransitionOp.Monitor when action.IsProbe => $"probe {action.Resource} on {action.Node}",
            TransitionOp.Monitor => $"monitor {action.Resource} on {action.Node} every {action.Interval}" + (action.Role is { } r ? $" ({ResourceRoles.Name(r)})" : ""),
            TransitionOp.Notify => $"notify {action.Resource} on {action.Node} ({action.NotifyPhase})",
            _ => $"{action.OpName} {action.Resource} on {action.Node}",
        };
    }
}
