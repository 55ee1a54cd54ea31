using System.Globalization;
using System.Threading.Channels;
using ClusterD.Admin.V1;
using Grpc.Core;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// The events of every demo node on one channel, each tagged with the node that reported it. Controller
/// events (transitions, actions, fencing, failovers) come from the DC only, membership events from every
/// node, so the nodes' streams together are the cluster's timeline. Both daemons run on this machine and
/// stamp events with the same clock, so events from the two streams order by their time.
/// </summary>
internal sealed class DemoTimeline : IAsyncDisposable
{
    private const string PhaseIndent = "                          ";

    private readonly Channel<Entry> _events = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<AsyncServerStreamingCall<ClusterEvent>> _calls = [];
    private readonly List<Task> _pumps = [];

    private DemoTimeline()
    {
    }

    /// <summary>One event and the node whose stream it came on.</summary>
    public sealed record Entry(string Source, ClusterEvent Event)
    {
        public DateTimeOffset Time => Event.Time?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
    }

    /// <summary>Subscribes to every node and returns once each daemon confirmed the subscription (its response headers).</summary>
    public static async Task<DemoTimeline> SubscribeAsync(IEnumerable<DemoDaemon> nodes, TimeSpan limit, TimeProvider time)
    {
        var timeline = new DemoTimeline();
        try
        {
            foreach (var node in nodes)
            {
                await timeline.AddAsync(node, limit, time);
            }
        }
        catch
        {
            await timeline.DisposeAsync();
            throw;
        }

        return timeline;
    }

    /// <summary>
    /// Adds <paramref name="node"/>'s events from now on (a node that was started again), once its daemon
    /// confirmed the subscription; until then it is asked again every 50 ms, up to <paramref name="limit"/>.
    /// </summary>
    public async Task AddAsync(DemoDaemon node, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var call = node.Client.WatchEvents(new WatchEventsRequest(), cancellationToken: _stop.Token);
            try
            {
                await call.ResponseHeadersAsync.WaitAsync(limit, time, cancellationToken);
                _calls.Add(call);
                _pumps.Add(PumpAsync(node.Name, call.ResponseStream));
                return;
            }
            catch (RpcException) when (time.GetElapsedTime(started) < limit && !cancellationToken.IsCancellationRequested)
            {
                // Its socket does not answer yet.
                call.Dispose();
            }
            catch
            {
                call.Dispose();
                throw;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    /// <summary>The next event, or null when none came within <paramref name="wait"/>.</summary>
    public async Task<Entry?> NextAsync(TimeSpan wait, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (_events.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var timeout = new CancellationTokenSource(wait, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return await _events.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// One timeline line: the time since <paramref name="zero"/>, the reporting node, and what happened.
    /// Null for what would only add noise (an action being requested: its result follows).
    /// </summary>
    public static string? Format(Entry entry, DateTimeOffset zero)
    {
        var e = entry.Event;
        var what = e.Kind switch
        {
            EventKind.Membership => Membership(e),
            EventKind.Quorum or EventKind.Dc => e.Message,
            EventKind.Gap => "(events were dropped for this watcher)",
            EventKind.ActionRequested => null,
            EventKind.ActionFinished => $"{Action(e)} {Result(e)}",
            EventKind.Fencing => e.HasSucceeded ? $"fence of {e.Node} {Result(e)}" : $"FENCE {e.Node} requested (device {Dash(e.Resource)})",
            EventKind.Transition => e.Message,
            EventKind.FailoverStarted => "FAILOVER started: " + e.Message,
            EventKind.FailoverCompleted => $"FAILOVER completed: {e.Message} in {Ms(e.DurationMs)}{Phases(e)}",
            EventKind.Configuration => e.Message,
            EventKind.Warning => "warning: " + e.Message,
            _ => null,
        };
        if (what is null)
        {
            return null;
        }

        var at = (long)(entry.Time - zero).TotalMilliseconds;
        return string.Create(CultureInfo.InvariantCulture, $"  {at,8:+#,0;-#,0} ms  {entry.Source,-7} {what}");
    }

    /// <summary>The failover's phases as the DC measured them, wrapped under the event's line.</summary>
    private static string Phases(ClusterEvent e)
    {
        var lines = new List<List<string>> { new() };
        foreach (var phase in e.Phases.Select(p => $"{p.Name} {Ms(p.DurationMs)}"))
        {
            if (lines[^1].Count > 0 && lines[^1].Sum(p => p.Length + 2) + phase.Length > 80)
            {
                lines.Add([]);
            }

            lines[^1].Add(phase);
        }

        return lines[0].Count == 0 ? "" : string.Concat(lines.Select((parts, i) => $"\n{PhaseIndent}{(i == 0 ? "phases: " : "        ")}{string.Join(", ", parts)}{(i < lines.Count - 1 ? "," : "")}"));
    }

    private static string Membership(ClusterEvent e)
    {
        var change = string.Join(", ", new[]
        {
            e.Lost.Count > 0 ? $"LOST {string.Join(' ', e.Lost)}" : null,
            e.Left.Count > 0 ? $"left {string.Join(' ', e.Left)}" : null,
            e.Joined.Count > 0 ? $"joined {string.Join(' ', e.Joined)}" : null,
        }.OfType<string>());
        return $"view {e.RingId} [{string.Join(' ', e.Members)}]{(change.Length > 0 ? ": " + change : "")}, {(e.Quorate ? "quorate" : "NOT quorate")}, DC {Dash(e.Dc)}";
    }

    /// <summary>"start fs_mysql on hadb02", "monitor 2s probe_port on hadb02", from the action id (start:fs_mysql@hadb02).</summary>
    private static string Action(ClusterEvent e)
    {
        var op = e.Action.Split(':', 2)[0].Replace('-', ' ');
        return $"{op} {e.Resource} on {e.Node}";
    }

    private static string Result(ClusterEvent e) =>
        (e.HasSucceeded && e.Succeeded ? "ok" : "FAILED: " + e.Message) + (e.DurationMs > 0 ? $" ({Ms(e.DurationMs)})" : "");

    private static string Ms(long ms) => ms.ToString("#,0", CultureInfo.InvariantCulture) + " ms";

    private static string Dash(string value) => value.Length == 0 ? "-" : value;

    private async Task PumpAsync(string source, IAsyncStreamReader<ClusterEvent> stream)
    {
        try
        {
            while (await stream.MoveNext(_stop.Token))
            {
                _events.Writer.TryWrite(new Entry(source, stream.Current));
            }
        }
        catch (RpcException)
        {
            // The node was killed (or stopped): its stream ends, the others go on.
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_pumps);
        foreach (var call in _calls)
        {
            call.Dispose();
        }

        _stop.Dispose();
    }
}
