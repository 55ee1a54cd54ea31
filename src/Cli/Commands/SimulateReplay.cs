using System.Globalization;
using ClusterD.Cli.Rendering;
using ClusterD.ResourceManager.Journal;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl simulate --replay ID [--journal DIR]</c>: reads a decision journal entry (by default from
/// <c>STATE_DIR/journal</c>, the <c>state_dir</c> of the daemon's configuration file), runs the scheduler
/// again on its configuration, status and <c>now</c>, prints the result as <c>simulate</c> does, and
/// checks it against the recorded graph: identical exits 0; a difference is listed and exits 1.
/// </summary>
internal static class SimulateReplay
{
    public static int Run(CliContext context, long id, string directory, bool json, bool dot)
    {
        JournalEntry entry;
        try
        {
            entry = new DecisionJournal(directory).Read(id);
        }
        catch (JournalEntryException e)
        {
            context.Output.WriteError($"clusterctl: simulate: {e.Message}");
            return ExitCodes.Error;
        }

        var outcome = DecisionReplay.Run(entry);
        var verdict = string.Create(CultureInfo.InvariantCulture, $"replayed decision {id}: ")
            + (outcome.Identical ? "identical to the recorded graph" : "differs from the recorded graph (the scheduler changed since it was recorded):");
        if (json || dot)
        {
            context.Output.WriteLine(json ? JsonOutput.Serialize(TransitionView.From(outcome.Graph)) : SimulateTextRenderer.RenderDot(outcome.Graph));
            if (outcome.Identical)
            {
                context.Output.WriteError(verdict);
            }
        }
        else
        {
            context.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Decision {id}, recorded {entry.Time:O} (failure-timeout measured at {entry.Now:O}), configuration {entry.Config.Version}"));
            context.Output.WriteLine("");
            context.Output.WriteLine(SimulateTextRenderer.Render(outcome.Graph));
            if (outcome.Identical)
            {
                context.Output.WriteLine("");
                context.Output.WriteLine(verdict);
            }
        }

        if (outcome.Identical)
        {
            return ExitCodes.Ok;
        }

        context.Output.WriteError("clusterctl: simulate: " + verdict);
        foreach (var line in outcome.Differences)
        {
            context.Output.WriteError("  " + line);
        }

        return ExitCodes.Error;
    }
}
