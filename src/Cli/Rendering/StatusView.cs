using System.Text.Json.Serialization;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// What <c>clusterctl status</c> shows, mapped once from the gRPC reply. The text table and
/// <c>--json</c> both render this model; its property names, in camelCase, are the stable
/// <c>status --json</c> shape (DESIGN.md section 1), so renaming one breaks scripts.
/// </summary>
internal sealed record StatusView(
    string Cluster,
    bool Quorate,
    string? Dc,
    string RingId,
    ulong RingSeq,
    string LocalNode,
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyList<ResourceView> Resources,
    QuorumView Quorum,
    DatagramView Datagrams,
    long MessagingRefusedSessions = 0,
    IReadOnlyDictionary<string, long>? MessagingRefusals = null,
    bool IsDc = false,
    bool MaintenanceMode = false,
    IReadOnlyList<string>? Warnings = null,
    IReadOnlyList<FailcountView>? Failcounts = null,
    IReadOnlyList<FailedActionView>? FailedActions = null,
    IReadOnlyList<FenceView>? Fencing = null,
    IReadOnlyList<PendingActionView>? PendingActions = null,
    WatchdogView? Watchdog = null,
    IReadOnlyList<ScheduledEventView>? ScheduledEvents = null,
    string? ScheduledEventsState = null)
{
    public static StatusView FromReply(ClusterStatusReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var quorum = reply.Quorum ?? new QuorumStatus();
        var datagrams = reply.Datagrams ?? new DatagramCounters();
        return new StatusView(
            reply.Cluster,
            reply.Quorate,
            EmptyAsNull(reply.Dc),
            reply.RingId,
            reply.RingSeq,
            reply.LocalNode,
            [.. reply.Nodes.Select(NodeView.FromStatus)],
            [.. reply.Resources.Select(r => new ResourceView(
                r.Id, r.Agent, [.. r.Instances.Select(i => new InstanceView(i.Node, i.Role))], EmptyAsNull(r.GroupId), EmptyAsNull(r.CloneId), r.Promotable))],
            new QuorumView(
                quorum.ExpectedVotes,
                quorum.TotalVotes,
                quorum.Quorum,
                quorum.TwoNode,
                quorum.WaitForAll,
                quorum.WaitForAllSatisfied),
            new DatagramView(
                datagrams.Accepted,
                datagrams.Dropped,
                new SortedDictionary<string, ulong>(datagrams.DroppedByReason, StringComparer.Ordinal)),
            reply.MessagingRefusedSessions,
            new SortedDictionary<string, long>(reply.MessagingRefusals, StringComparer.Ordinal),
            reply.IsDc,
            reply.MaintenanceMode,
            [.. reply.Warnings],
            [.. reply.Failcounts.Select(FailcountView.FromStatus)],
            [.. reply.FailedActions.Select(FailedActionView.FromStatus)],
            [.. reply.Fencing.Select(FenceView.FromStatus)],
            [.. reply.PendingActions.Select(p => new PendingActionView(p.Resource, p.Node, p.Action, p.IntervalMs))],
            reply.Watchdog is { } w ? WatchdogView.FromStatus(w) : null,
            [.. reply.ScheduledEvents.Select(ScheduledEventView.FromStatus)],
            EmptyAsNull(reply.ScheduledEventsState));
    }

    internal static string? EmptyAsNull(string value) => value.Length == 0 ? null : value;
}

/// <summary>One configured node. <see cref="Local"/> is for the text view only.</summary>
internal sealed record NodeView(
    string Name,
    uint Id,
    bool Online,
    bool Standby,
    bool Unclean,
    string State,
    ulong Incarnation,
    IReadOnlyList<LinkView> Links,
    MessagingView? Messaging = null)
{
    public const string StateLost = "lost";

    [JsonIgnore]
    public bool Local { get; init; }

    /// <summary>
    /// Shown as UNCLEAN in the text view: the daemon says so, or the node dropped out of the
    /// membership without leaving (state "lost"), the case crm_mon flags until it is fenced.
    /// </summary>
    [JsonIgnore]
    public bool ShownUnclean => Unclean || State == StateLost;

    public static NodeView FromStatus(NodeStatus node) =>
        new(node.Name, node.Id, node.Online, node.Standby, node.Unclean, node.State, node.Incarnation,
            [.. node.Links.Select(LinkView.FromStatus)], node.Messaging is { } m ? MessagingView.FromStatus(m) : null)
        {
            Local = node.Local,
        };
}

/// <summary>
/// One heartbeat link to a peer. Before the first heartbeat (<c>last_seen_ms_ago == -1</c>)
/// there is no age and no round-trip time to report, so both are null rather than -1 and 0.
/// </summary>
internal sealed record LinkView(
    uint Link,
    string Address,
    bool Up,
    long? LastSeenMsAgo,
    double? RttMs,
    ulong Received,
    ulong Lost)
{
    public static LinkView FromStatus(LinkStatus link)
    {
        var seen = link.LastSeenMsAgo >= 0;
        return new LinkView(
            link.Link,
            link.Address,
            link.Up,
            seen ? link.LastSeenMsAgo : null,
            seen ? link.RttMs : null,
            link.Received,
            link.Lost);
    }
}

/// <summary>The node-to-node TCP link to a peer: counters summed over its sessions (absent for the local node).</summary>
internal sealed record MessagingView(
    bool Connected,
    string? RemoteAddress,
    long FramesIn,
    long FramesOut,
    long BytesIn,
    long BytesOut,
    long Reconnects,
    int QueueDepth,
    double? RttMs,
    IReadOnlyDictionary<string, long> Rejects,
    string? LastError,
    long QueuedBytes = 0)
{
    public static MessagingView FromStatus(MessagingStatus m) =>
        new(m.Connected, m.RemoteAddress.Length == 0 ? null : m.RemoteAddress, m.FramesIn, m.FramesOut, m.BytesIn, m.BytesOut,
            m.Reconnects, m.QueueDepth, m.RttMs > 0 ? m.RttMs : null, m.Rejects.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(),
            m.LastError.Length == 0 ? null : m.LastError, m.QueuedBytes);
}

/// <summary>
/// One primitive. <see cref="GroupId"/> and <see cref="CloneId"/> name the group and clone it belongs to (null
/// when none); <see cref="Promotable"/> is true inside a promotable clone.
/// </summary>
internal sealed record ResourceView(
    string Id,
    string Agent,
    IReadOnlyList<InstanceView> Instances,
    string? GroupId = null,
    string? CloneId = null,
    bool Promotable = false);

/// <summary>One instance of a primitive; <see cref="Role"/> is Stopped, Started, Unpromoted, Promoted or Failed.</summary>
internal sealed record InstanceView(string Node, string Role);

internal sealed record QuorumView(
    uint ExpectedVotes,
    uint TotalVotes,
    uint Quorum,
    bool TwoNode,
    bool WaitForAll,
    bool WaitForAllSatisfied);

/// <summary>Heartbeat datagram counters; <see cref="DroppedByReason"/> is sorted by reason.</summary>
internal sealed record DatagramView(ulong Accepted, ulong Dropped, IReadOnlyDictionary<string, ulong> DroppedByReason);
