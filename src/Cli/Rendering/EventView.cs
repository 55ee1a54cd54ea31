using System.Globalization;
using System.Text;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// One cluster event as <c>clusterctl events --follow</c> prints it, as a text line or (with
/// <c>--json</c>) as one JSON object per line with these camelCase keys.
/// </summary>
/// <param name="Time">ISO-8601 UTC with milliseconds, e.g. <c>2025-01-31T12:00:00.250Z</c>; null if the daemon sent none.</param>
/// <param name="Kind">
/// <c>membership</c>, <c>quorum</c>, <c>dc</c>, <c>gap</c>, the controller's <c>action-requested</c>, <c>action-finished</c>,
/// <c>transition</c>, <c>fencing</c>, <c>failover-started</c>, <c>failover-completed</c>, <c>configuration</c>,
/// <c>warning</c>, or <c>unspecified</c>.
/// </param>
/// <param name="Dc">The designated controller after the event, null while there is none.</param>
/// <param name="Succeeded">The result of an action, fence or failover; null when the event has none.</param>
/// <param name="DurationMs">How long it took; null when the event has no duration.</param>
/// <param name="Phases">A completed failover's named durations, in order.</param>
internal sealed record EventView(
    string? Time,
    string Kind,
    string Message,
    string RingId,
    IReadOnlyList<string> Members,
    IReadOnlyList<string> Joined,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> Left,
    bool Quorate,
    string? Dc,
    string? Node = null,
    string? Resource = null,
    string? Action = null,
    ulong? Transition = null,
    bool? Succeeded = null,
    long? DurationMs = null,
    IReadOnlyList<EventPhaseView>? Phases = null)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static EventView FromEvent(ClusterEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventView(
            e.Time?.ToDateTime().ToString(TimeFormat, CultureInfo.InvariantCulture),
            KindName(e.Kind),
            e.Message,
            e.RingId,
            [.. e.Members],
            [.. e.Joined],
            [.. e.Lost],
            [.. e.Left],
            e.Quorate,
            e.Dc.Length == 0 ? null : e.Dc,
            StatusView.EmptyAsNull(e.Node),
            StatusView.EmptyAsNull(e.Resource),
            StatusView.EmptyAsNull(e.Action),
            e.Transition == 0 ? null : e.Transition,
            e.HasSucceeded ? e.Succeeded : null,
            e.DurationMs > 0 ? e.DurationMs : null,
            [.. e.Phases.Select(p => new EventPhaseView(p.Name, p.DurationMs))]);
    }

    public static string KindName(EventKind kind) => kind switch
    {
        EventKind.Unspecified => "unspecified",
        EventKind.Membership => "membership",
        EventKind.Quorum => "quorum",
        EventKind.Dc => "dc",
        EventKind.Gap => "gap",
        EventKind.ActionRequested => "action-requested",
        EventKind.ActionFinished => "action-finished",
        EventKind.Transition => "transition",
        EventKind.Fencing => "fencing",
        EventKind.FailoverStarted => "failover-started",
        EventKind.FailoverCompleted => "failover-completed",
        EventKind.Configuration => "configuration",
        EventKind.Warning => "warning",
        EventKind.Watchdog => "watchdog",
        EventKind.ScheduledEvent => "scheduled-event",
        _ => ((int)kind).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Membership, quorum, DC and gap events: <c>TIME KIND MESSAGE | ring=… members=… joined=… lost=… left=… quorate=yes|no dc=…</c>,
    /// with <c>-</c> for an empty list or a missing value, so the line splits on spaces after the bar.
    /// The controller's events: <c>TIME KIND MESSAGE (DURATION) | node=… resource=… action=… transition=… result=ok|failed
    /// phases=name:DURATION,…</c>, naming only what the event has.
    /// </summary>
    public string ToTextLine()
    {
        if (Kind is "membership" or "quorum" or "dc" or "gap" or "unspecified")
        {
            return $"{Time ?? "-"} {Kind} {Message} | ring={Dash(RingId)} members={List(Members)} joined={List(Joined)} "
                + $"lost={List(Lost)} left={List(Left)} quorate={(Quorate ? "yes" : "no")} dc={Dc ?? "-"}";
        }

        var line = new StringBuilder($"{Time ?? "-"} {Kind} {Message}");
        if (DurationMs is { } ms)
        {
            line.Append(CultureInfo.InvariantCulture, $" ({Duration(ms)})");
        }

        var fields = new List<string>();
        Add(fields, "node", Node);
        Add(fields, "resource", Resource);
        Add(fields, "action", Action);
        Add(fields, "transition", Transition?.ToString(CultureInfo.InvariantCulture));
        Add(fields, "result", Succeeded is { } ok ? (ok ? "ok" : "failed") : null);
        if (Phases is { Count: > 0 } phases)
        {
            fields.Add("phases=" + string.Join(',', phases.Select(p => $"{p.Name}:{Duration(p.DurationMs)}")));
        }

        return fields.Count == 0 ? line.ToString() : $"{line} | {string.Join(' ', fields)}";
    }

    /// <summary>"850ms" under a second, else "1.25s": short, and without spaces so fields split on spaces.</summary>
    public static string Duration(long ms) => ms < 1000
        ? $"{ms.ToString(CultureInfo.InvariantCulture)}ms"
        : $"{(ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)}s";

    private static void Add(List<string> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields.Add($"{name}={value}");
        }
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "-" : string.Join(',', names);

    private static string Dash(string value) => value.Length == 0 ? "-" : value;
}
