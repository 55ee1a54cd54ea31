using System.Globalization;
using System.Text;

namespace ClusterD.Cli.Rendering;

/// <summary>The sections after the resources, as <c>crm_mon</c> prints them: pending and failed actions, fail counts, fencing.</summary>
internal static partial class StatusTextRenderer
{
    private static void AppendPendingActions(StringBuilder s, StatusView view)
    {
        if (view.PendingActions is not { Count: > 0 } pending)
        {
            return;
        }

        s.AppendLine();
        s.AppendLine("Pending Resource Actions:");
        foreach (var action in pending)
        {
            var interval = action.IntervalMs > 0 ? $" (every {Milliseconds(action.IntervalMs)})" : "";
            Line(s, $"  * {action.Resource} {action.Action}{interval} on {action.Node}: in progress");
        }
    }

    private static void AppendFailedActions(StringBuilder s, StatusView view)
    {
        if (view.FailedActions is not { Count: > 0 } failed)
        {
            return;
        }

        s.AppendLine();
        s.AppendLine("Failed Resource Actions:");
        foreach (var action in failed)
        {
            var what = string.Join(' ', new[] { action.Resource, action.Action, action.Node is null ? null : "on " + action.Node }.Where(p => p is not null));
            var details = new List<string>();
            if (action.Time is { } at)
            {
                details.Add($"at {Time(at)}");
            }

            if (action.DurationMs is { } ms)
            {
                details.Add($"took {Milliseconds(ms)}");
            }

            Line(s, $"  * {(what.Length == 0 ? "" : what + ": ")}{action.Message}{(details.Count == 0 ? "" : $" ({string.Join(", ", details)})")}");
        }
    }

    /// <summary>crm_mon's "Migration Summary": fail counts per node.</summary>
    private static void AppendFailcounts(StringBuilder s, StatusView view)
    {
        if (view.Failcounts is not { Count: > 0 } failcounts)
        {
            return;
        }

        s.AppendLine();
        s.AppendLine("Migration Summary:");
        foreach (var node in failcounts.GroupBy(f => f.Node, StringComparer.Ordinal))
        {
            Line(s, $"  * Node: {node.Key}:");
            foreach (var f in node)
            {
                var count = f.Count >= FailcountView.Infinity ? "INFINITY" : f.Count.ToString(CultureInfo.InvariantCulture);
                Line(s, $"    * {f.Resource}: fail-count={count}{(f.LastFailure is { } at ? $" last-failure='{Time(at)}'" : "")}");
            }
        }
    }

    private static void AppendFencing(StringBuilder s, StatusView view)
    {
        if (view.Fencing is not { Count: > 0 } fencing)
        {
            return;
        }

        s.AppendLine();
        s.AppendLine("Fencing History:");
        foreach (var f in fencing.Reverse())
        {
            var device = f.Device is null ? "" : $"device={f.Device}, ";
            var line = f.Result switch
            {
                "succeeded" => $"  * {f.Action} of {f.Target} successful: {device}origin={f.RequestedBy}, completed='{TimeOrDash(f.Completed)}'",
                "failed" => $"  * {f.Action} of {f.Target} failed: {device}origin={f.RequestedBy}, last-failed='{TimeOrDash(f.Completed)}'"
                    + (f.Detail is null ? "" : $" ({f.Detail})"),
                _ => $"  * {f.Action} of {f.Target} pending: {device}origin={f.RequestedBy}, requested='{TimeOrDash(f.Requested)}'",
            };
            Line(s, line + (f.Reason is null ? "" : $" reason: {f.Reason}"));
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string TimeOrDash(DateTimeOffset? at) => at is { } t ? Time(t) : "-";

    private static string Milliseconds(long ms) => ms >= 1000
        ? $"{(ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)} s"
        : $"{ms.ToString(CultureInfo.InvariantCulture)} ms";
}
