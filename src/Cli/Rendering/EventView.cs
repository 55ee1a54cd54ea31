using System.Globalization;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// One cluster event as <c>clusterctl events --follow</c> prints it, as a text line or (with
/// <c>--json</c>) as one JSON object per line with these camelCase keys.
/// </summary>
/// <param name="Time">ISO-8601 UTC with milliseconds, e.g. <c>2025-01-31T12:00:00.250Z</c>; null if the daemon sent none.</param>
/// <param name="Kind"><c>membership</c>, <c>quorum</c>, <c>dc</c>, <c>gap</c> or <c>unspecified</c>.</param>
/// <param name="Dc">The designated controller after the event, null while there is none.</param>
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
    string? Dc)
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
            e.Dc.Length == 0 ? null : e.Dc);
    }

    public static string KindName(EventKind kind) => kind switch
    {
        EventKind.Unspecified => "unspecified",
        EventKind.Membership => "membership",
        EventKind.Quorum => "quorum",
        EventKind.Dc => "dc",
        EventKind.Gap => "gap",
        _ => ((int)kind).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// <c>TIME KIND MESSAGE | ring=… members=… joined=… lost=… left=… quorate=yes|no dc=…</c>, with
    /// <c>-</c> for an empty list or a missing value, so the line splits on spaces after the bar.
    /// </summary>
    public string ToTextLine() =>
        $"{Time ?? "-"} {Kind} {Message} | ring={Dash(RingId)} members={List(Members)} joined={List(Joined)} "
        + $"lost={List(Lost)} left={List(Left)} quorate={(Quorate ? "yes" : "no")} dc={Dc ?? "-"}";

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "-" : string.Join(',', names);

    private static string Dash(string value) => value.Length == 0 ? "-" : value;
}
