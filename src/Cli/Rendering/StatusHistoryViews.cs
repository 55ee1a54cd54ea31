using ClusterD.Admin.V1;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// Failures of a primitive on a node, in the shape <c>simulate --status</c> reads back (docs/status-json.md):
/// <see cref="Count"/> is a Pacemaker score, 1000000 meaning INFINITY.
/// </summary>
internal sealed record FailcountView(string Resource, string Node, int Count, DateTimeOffset? LastFailure)
{
    public const int Infinity = 1_000_000;

    public static FailcountView FromStatus(FailcountStatus f) =>
        new(f.Resource, f.Node, f.Count, f.LastFailure?.ToDateTimeOffset());
}

/// <summary>A failed operation or fence; <see cref="DurationMs"/> is null when not known.</summary>
internal sealed record FailedActionView(DateTimeOffset? Time, string? Resource, string? Node, string? Action, string Message, long? DurationMs)
{
    public static FailedActionView FromStatus(FailedAction a) =>
        new(a.Time?.ToDateTimeOffset(), StatusView.EmptyAsNull(a.Resource), StatusView.EmptyAsNull(a.Node), StatusView.EmptyAsNull(a.Action),
            a.Message, a.DurationMs > 0 ? a.DurationMs : null);
}

/// <summary>One fence operation: <see cref="Result"/> is <c>pending</c>, <c>succeeded</c> or <c>failed</c>.</summary>
internal sealed record FenceView(
    string Target,
    string Action,
    string? Device,
    string RequestedBy,
    string Result,
    string? Reason,
    string? Detail,
    DateTimeOffset? Requested,
    DateTimeOffset? Completed)
{
    public static FenceView FromStatus(FenceRecordStatus f) =>
        new(f.Target, f.Action, StatusView.EmptyAsNull(f.Device), f.RequestedBy, f.Result, StatusView.EmptyAsNull(f.Reason),
            StatusView.EmptyAsNull(f.Detail), f.Requested?.ToDateTimeOffset(), f.Completed?.ToDateTimeOffset());
}

/// <summary>An operation in flight; <see cref="IntervalMs"/> is 0 for one-off actions.</summary>
internal sealed record PendingActionView(string Resource, string Node, string Action, long IntervalMs);

/// <summary>This node's watchdog: <see cref="Starving"/> says why it is no longer fed (the node resets), null while it is.</summary>
internal sealed record WatchdogView(string Device, long TimeoutMs, bool Armed, DateTimeOffset? LastFeed, string? Starving, DateTimeOffset? StarvingSince, string? Detail)
{
    public static WatchdogView FromStatus(WatchdogStatus w) =>
        new(w.Device, w.TimeoutMs, w.Armed, w.LastFeed?.ToDateTimeOffset(), StatusView.EmptyAsNull(w.Starving), w.StarvingSince?.ToDateTimeOffset(), StatusView.EmptyAsNull(w.Detail));
}

/// <summary>An Azure Scheduled Event and this node's decision; <see cref="CoveredUntil"/> for a Freeze of a peer.</summary>
internal sealed record ScheduledEventView(
    string EventId, string Type, string Status, IReadOnlyList<string> Nodes, DateTimeOffset? NotBefore, string Decision, bool Acknowledged, DateTimeOffset? CoveredUntil)
{
    public static ScheduledEventView FromStatus(ScheduledEventStatus e) =>
        new(e.EventId, e.Type, e.Status, [.. e.Nodes], e.NotBefore?.ToDateTimeOffset(), e.Decision, e.Acknowledged, e.CoveredUntil?.ToDateTimeOffset());
}
