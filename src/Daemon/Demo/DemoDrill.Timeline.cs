using System.Globalization;
using ClusterD.Admin.V1;
using Entry = ClusterD.Daemon.Demo.DemoTimeline.Entry;

namespace ClusterD.Daemon.Demo;

/// <summary>Waiting on the cluster's events and status, and printing what happened.</summary>
internal static partial class DemoDrill
{
    /// <summary>How long the drill waits for the next event before it asks the DC's status anyway.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Collects events until the DC's status satisfies <paramref name="done"/> with no transition and no
    /// failover still open in the events seen, and <paramref name="seen"/> (when given) holds for the events.
    /// The status is asked after every transition or failover event, and after <see cref="Quiet"/> without events.
    /// </summary>
    private static async Task<List<Entry>> RecordUntilAsync(
        DemoTimeline timeline, IReadOnlyList<DemoDaemon> live, Func<ClusterStatusReply, bool> done, TimeSpan limit, TimeProvider time,
        Func<List<Entry>, bool>? seen = null, CancellationToken cancellationToken = default)
    {
        var entries = new List<Entry>();
        var started = time.GetTimestamp();
        var openTransitions = new HashSet<ulong>();
        var failoverOpen = false;
        while (true)
        {
            var next = await timeline.NextAsync(Quiet, time, cancellationToken);
            if (next is not null)
            {
                entries.Add(next);
                var e = next.Event;
                switch (e.Kind)
                {
                    case EventKind.Transition when !e.HasSucceeded:
                        openTransitions.Add(e.Transition);
                        break;
                    case EventKind.Transition:
                        openTransitions.Remove(e.Transition);
                        break;
                    case EventKind.FailoverStarted:
                        failoverOpen = true;
                        break;
                    case EventKind.FailoverCompleted:
                        failoverOpen = false;
                        break;
                    case EventKind.Membership when e.Lost.Count > 0:
                    case EventKind.Dc:
                        // A DC that was lost or replaced takes its open transition with it.
                        openTransitions.Clear();
                        break;
                    default:
                        continue;
                }
            }

            if (openTransitions.Count == 0 && !failoverOpen && (seen is null || seen(entries))
                && await DcStatusAsync(live, time, cancellationToken) is { } status && done(status))
            {
                return entries;
            }

            if (time.GetElapsedTime(started) > limit)
            {
                var last = await DcStatusAsync(live, time, cancellationToken);
                throw new TimeoutException($"the cluster did not settle within {limit.TotalSeconds:0} s; last status:\n"
                    + (last is null ? "(no DC)" : string.Join('\n', DemoStatus.Render(last, warnings: true))));
            }
        }
    }

    /// <summary>Waits (asking every 100 ms, with a deadline) until the DC's status satisfies <paramref name="done"/>.</summary>
    private static async Task<ClusterStatusReply> WaitForDcAsync(
        IReadOnlyList<DemoDaemon> live, Func<ClusterStatusReply, bool> done, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (await DcStatusAsync(live, time, cancellationToken) is { } status && done(status))
            {
                return status;
            }

            if (time.GetElapsedTime(started) > limit)
            {
                var last = await DcStatusAsync(live, time, cancellationToken);
                throw new TimeoutException($"resources were not placed within {limit.TotalSeconds:0} s; last status:\n"
                    + (last is null ? "(no DC)" : string.Join('\n', DemoStatus.Render(last, warnings: true))));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    /// <summary>The status of the live node that is the DC (its resource view is the cluster's); null while there is none.</summary>
    private static async Task<ClusterStatusReply?> DcStatusAsync(IReadOnlyList<DemoDaemon> live, TimeProvider time, CancellationToken cancellationToken = default)
    {
        foreach (var node in live.Where(n => !n.IsGone))
        {
            try
            {
                var status = await node.StatusAsync(time, cancellationToken);
                if (status.IsDc)
                {
                    return status;
                }
            }
            catch (Grpc.Core.RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not answering: ask the next one.
            }
        }

        return null;
    }

    private static void PrintStatus(TextWriter output, ClusterStatusReply status)
    {
        output.WriteLine();
        foreach (var line in DemoStatus.Render(status))
        {
            output.WriteLine("  " + line);
        }

        output.WriteLine();
    }

    private static void PrintTimeline(TextWriter output, string title, IEnumerable<Entry> entries, DateTimeOffset zero)
    {
        output.WriteLine();
        output.WriteLine(title + ":");
        foreach (var entry in entries.OrderBy(e => e.Time))
        {
            if (DemoTimeline.Format(entry, zero) is { } line)
            {
                output.WriteLine(line);
            }
        }

        output.WriteLine();
    }

    /// <summary>
    /// What the survivor's events show of a hard failover, from the fault: detection, fencing, promotion and the
    /// group started; <paramref name="fenceDevice"/> names what powered the victim off.
    /// </summary>
    private static void PrintFailoverSummary(
        TextWriter output, List<Entry> entries, DateTimeOffset faultAt, string fault, string victim, string survivor, int tokenMs, string fenceDevice, IReadOnlyList<string> members)
    {
        var lost = entries.FirstOrDefault(e => e.Event.Kind == EventKind.Membership && e.Event.Lost.Contains(victim))?.Time;
        var fenced = entries.FirstOrDefault(e => e.Event.Kind == EventKind.Fencing && e.Event.HasSucceeded && e.Event.Succeeded && e.Event.Node == victim)?.Time;
        var promoted = entries.FirstOrDefault(e => e.Event.Kind == EventKind.ActionFinished && e.Event.Succeeded && e.Event.Action.StartsWith("promote:", StringComparison.Ordinal) && e.Event.Node == survivor)?.Time;
        var started = GroupStarted(entries, survivor, members);
        output.WriteLine($"Failover of {victim} to {survivor}, from the {fault}:");
        output.WriteLine($"  detected   {Since(lost, faultAt),10}   token={tokenMs} ms after {victim}'s last heartbeat (sent up to {tokenMs / 5} ms before the {fault}): new view, quorate (two_node)");
        output.WriteLine($"  fenced     {Since(fenced, faultAt),10}   {fenceDevice} powered {victim} off before anything of it was recovered");
        output.WriteLine($"  promoted   {Since(promoted, faultAt),10}   drbd_mysql Promoted on {survivor}");
        output.WriteLine($"  mysql up   {Since(started, faultAt),10}   {string.Join(", ", members)} started on {survivor}: TOTAL {fault} -> service back");
    }

    /// <summary>The switchover's summary line: when the group ran on <paramref name="to"/>, and how long it was down.</summary>
    private static string SwitchoverDone(List<Entry> entries, string to, DateTimeOffset requestedAt, IReadOnlyList<string> members)
    {
        var firstStop = entries.FirstOrDefault(e => e.Event.Kind == EventKind.ActionRequested && e.Event.Action.StartsWith("stop:", StringComparison.Ordinal) && members.Contains(e.Event.Resource));
        var started = GroupStarted(entries, to, members);
        return $"SWITCHOVER done: group mysql started on {to} {Since(started, requestedAt)} after the command"
            + (firstStop is null ? "" : $"; mysql was down {Between(firstStop.Time, started)} (its first stop requested to its last start done)");
    }

    /// <summary>When the last of <paramref name="members"/> finished starting on <paramref name="node"/>; null if not all did.</summary>
    private static DateTimeOffset? GroupStarted(List<Entry> entries, string node, IReadOnlyList<string> members)
    {
        var starts = members
            .Select(m => entries.LastOrDefault(e => e.Event.Kind == EventKind.ActionFinished && e.Event.Succeeded && e.Event.Action == $"start:{m}@{node}")?.Time)
            .ToList();
        return starts.All(s => s is not null) ? starts.Max() : null;
    }

    private static string Since(DateTimeOffset? at, DateTimeOffset zero) =>
        at is { } t ? ((long)(t - zero).TotalMilliseconds).ToString("+#,0 'ms';-#,0 'ms'", CultureInfo.InvariantCulture) : "(not seen)";

    private static string Between(DateTimeOffset from, DateTimeOffset? to) =>
        to is { } t ? ((long)(t - from).TotalMilliseconds).ToString("#,0 'ms'", CultureInfo.InvariantCulture) : "(not seen)";
}
