using System.Globalization;
using System.Text;

namespace ClusterD.Cli.Rendering;

/// <summary>The local watchdog and Azure's Scheduled Events, when this node has either.</summary>
internal static partial class StatusTextRenderer
{
    private static void AppendPlatform(StringBuilder s, StatusView view)
    {
        if (view.Watchdog is { } w)
        {
            s.AppendLine();
            var timeout = (w.TimeoutMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
            var state = w.Starving is { } why ? $"NO LONGER FED since {TimeOrDash(w.StarvingSince)}: {why}"
                : w.Armed ? $"armed, last fed {TimeOrDash(w.LastFeed)}"
                : "disarmed (this node holds no resources)";
            Line(s, $"Watchdog: {w.Device} ({timeout} s): {state}");
            if (w.Detail is { } detail)
            {
                Line(s, $"  {detail}");
            }
        }

        if (view.ScheduledEventsState is null && view.ScheduledEvents is not { Count: > 0 })
        {
            return;
        }

        s.AppendLine();
        Line(s, $"Scheduled Events: {view.ScheduledEventsState ?? "off"}");
        foreach (var e in view.ScheduledEvents ?? [])
        {
            var nodes = e.Nodes.Count == 0 ? "no cluster node" : string.Join(", ", e.Nodes);
            var when = e.NotBefore is { } nb ? $", not before {Time(nb)}" : "";
            var cover = e.CoveredUntil is { } until ? $", detection extended until {Time(until)}" : "";
            Line(s, $"  * {e.Type} {e.EventId} of {nodes} ({e.Status}{when}{cover}): {e.Decision}");
        }
    }
}
