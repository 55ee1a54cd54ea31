using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Heartbeats;
using ClusterD.Membership.Views;
using ClusterD.Messaging;
using ClusterD.Messaging.Links;
using ClusterD.Messaging.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterD.Membership.Runtime;

/// <summary>
/// The hosted shell around <see cref="MembershipNode"/>: one UDP socket per link and one thread
/// that owns the core. The thread waits on the sockets until a datagram comes or the core's next
/// wakeup is due, and reads the datagrams itself; status requests and key reloads reach it
/// through a channel and a <see cref="LoopWaker"/>. A heartbeat in or out is one thread woken,
/// not a hand-off between an event thread, the timer thread and the thread pool: that is most of
/// an idle daemon's cost. On stop it announces a clean leave before closing the sockets.
/// </summary>
public sealed class MembershipService : BackgroundService, IDatagramSink
{
    private static readonly TimeSpan DropReportPeriod = TimeSpan.FromSeconds(30);

    /// <summary>Longest single wait (the core asks again at least this often; Select takes microseconds in an int).</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    /// <summary>Datagrams read from one link before the core's time-driven work (expiry, our own heartbeats) runs again: a flood cannot starve it.</summary>
    private const int MaxDatagramsPerRound = 64;

    private readonly ClusterConfiguration _config;
    private readonly NodeConfig _local;
    private readonly ulong _incarnation;
    private readonly TimeProvider _time;
    private readonly ILogger<MembershipService> _logger;
    private readonly IEnumerable<IViewChangeSink> _sinks;
    private readonly MembershipStateStore _store;
    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
    private readonly long _start;
    private readonly DateTimeOffset _startWall;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AuthKeyRing _keys;
    private IDatagramLink?[] _links = [];
    private MembershipNode? _core;
    private ulong _persistedSeq;
    private readonly LoopWaker _waker = new();
    private TimeSpan _lastDropReport;
    private ulong _reportedDrops;
    private IReadOnlyDictionary<DatagramVerdict, ulong> _reportedByReason = new Dictionary<DatagramVerdict, ulong>();
    private bool? _loggedQuorate;
    private NodeId? _loggedDc;

    public MembershipService(
        ClusterConfiguration config,
        LocalIdentity identity,
        AuthKeyRing keys,
        TimeProvider time,
        IEnumerable<IViewChangeSink> sinks,
        ILogger<MembershipService> logger)
    {
        _config = config;
        _local = identity.Node;
        _incarnation = identity.Incarnation;
        _keys = keys;
        _time = time;
        _sinks = sinks;
        _logger = logger;
        _store = new MembershipStateStore(config.ClusterD.StateDir);
        _start = time.GetTimestamp();
        _startWall = time.GetUtcNow();
    }

    /// <summary>Completes when the sockets are bound and the first heartbeats are out (faults if binding failed).</summary>
    public Task Ready => _ready.Task;

    private TimeSpan Now => _time.GetElapsedTime(_start);

    /// <summary>A consistent picture of membership, taken by the membership loop.</summary>
    public async Task<MembershipSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken);
        var reply = new TaskCompletionSource<MembershipSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inputs.Writer.WriteAsync(new Input(InputKind.Snapshot, Reply: reply), cancellationToken);
        _waker.Signal();
        return await reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the announced pauses of peers (wall-clock instants, converted to the membership timeline):
    /// each peer stays alive without heartbeats from its cover's start to its end.
    /// </summary>
    public void SetCovers(IReadOnlyList<(NodeId Node, DateTimeOffset From, DateTimeOffset Until)> covers)
    {
        ArgumentNullException.ThrowIfNull(covers);
        // Converted against the clocks as they are now, not at start: the wall clock may have been slewed since.
        var wall = _time.GetUtcNow();
        var now = Now;
        var converted = covers.Select(c => new DetectionCover(c.Node, now + (c.From - wall), now + (c.Until - wall))).ToArray();
        _inputs.Writer.TryWrite(new Input(InputKind.Covers, Covers: converted));
        _waker.Signal();
    }

    /// <summary>Swaps the cluster keys (SIGHUP after a rotation step).</summary>
    public void ReloadKeys(AuthKeyRing keys)
    {
        _keys = keys; // published to the loop by the channel write below
        _inputs.Writer.TryWrite(new Input(InputKind.Keys));
        _waker.Signal();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stoppingToken);
                ended.TrySetResult();
            }
            catch (Exception e)
            {
                ended.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "membership",
        };
        thread.Start();
        return ended.Task;
    }

    private void Run(CancellationToken stoppingToken)
    {
        using var stopping = stoppingToken.Register(_waker.Signal);
        try
        {
            _links = _local.Links
                .Select((endpoint, link) => endpoint is null ? null : (IDatagramLink)new UdpDatagramLink(link, endpoint))
                .ToArray();
            _persistedSeq = _store.ReadRingSeq();
            _core = new MembershipNode(_config, _local.Id, _incarnation, _persistedSeq, _keys, this);
            MembershipLog.Started(_logger, _local.Name, _local.Id.Value, _incarnation,
                string.Join(", ", _links.Where(l => l is not null).Select(l => $"link {l!.LinkNumber} {l.LocalEndPoint}")));
            _core.Start(Now);
            AfterWork(Now);
            _ready.TrySetResult();
            RunLoop(stoppingToken);

            // Orderly stop: tell the peers, so they record "left" and not "lost".
            _core.Leave(Now);
            MembershipLog.LeaveAnnounced(_logger);
        }
        catch (Exception e)
        {
            // Membership cannot go on (a link cannot be bound, the state dir cannot be written...): fail
            // the start or stop the host, never go on serving without membership. No leave: the peers
            // must treat this node as lost.
            _ready.TrySetException(e);
            throw;
        }
        finally
        {
            foreach (var link in _links)
            {
                link?.Dispose();
            }

            _inputs.Writer.TryComplete();
            while (_inputs.Reader.TryRead(out var input))
            {
                input.Reply?.TrySetCanceled(CancellationToken.None);
            }

            _waker.Dispose();
        }
    }

    private void RunLoop(CancellationToken stoppingToken)
    {
        var links = _links.Where(l => l is not null).Select(l => l!).ToArray();
        var bySocket = links.ToDictionary(l => l.Socket);
        Socket[] waitOn = [.. links.Select(l => l.Socket), _waker.Socket];
        var readable = new List<Socket>(waitOn.Length);

        // One byte more than the largest valid datagram: a longer one is reported as oversized.
        var buffer = new byte[HeartbeatCodec.MaxDatagram + 1];
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = Now;
            var wait = _core!.NextWakeup(now) - now;
            readable.Clear();
            if (wait > TimeSpan.Zero)
            {
                // (Not yet due: wait. Due now: the core's work first; what came meanwhile is read at the next round.)
                readable.AddRange(waitOn);
                Socket.Select(readable, null, null, wait < MaxWait ? wait : MaxWait);
            }

            foreach (var socket in readable)
            {
                if (bySocket.TryGetValue(socket, out var link))
                {
                    ReceiveFrom(link, buffer);
                }
            }

            _waker.Drain();
            while (_inputs.Reader.TryRead(out var input))
            {
                Handle(input);
            }

            now = Now;
            AfterWork(now);
            ReportDrops(now);
        }
    }

    /// <summary>Hands the core the datagrams waiting on <paramref name="link"/> (readable), at most <see cref="MaxDatagramsPerRound"/>.</summary>
    private void ReceiveFrom(IDatagramLink link, byte[] buffer)
    {
        for (var i = 0; i < MaxDatagramsPerRound; i++)
        {
            int? length;
            try
            {
                // The first read is sure to find one (a zero-length datagram too); the next ones ask the kernel
                // first, which costs less than the failed read that ends the round otherwise.
                length = i > 0 && link.Socket.Available == 0 ? null : link.TryReceive(buffer);
            }
            catch (SocketException e)
            {
                // Not expected on a bound UDP socket (interface gone?): log, and listen again next round.
                MembershipLog.ReceiveFailed(_logger, link.LinkNumber, e.SocketErrorCode.ToString());
                return;
            }

            switch (length)
            {
                case null:
                    return;
                case < 0:
                    _core!.CountDrop(DatagramVerdict.Oversized);
                    break;
                default:
                    _core!.Receive(link.LinkNumber, buffer.AsSpan(0, length.Value), Now);
                    break;
            }

            Publish();
        }
    }

    /// <summary>Ticks the core, persists a raised ring sequence (also when nothing was sent), publishes views.</summary>
    private void AfterWork(TimeSpan now)
    {
        var core = _core!;
        core.Tick(now);
        if (core.HighestProposedSeq > _persistedSeq)
        {
            Persist(core.HighestProposedSeq);
        }

        Publish();
    }

    private void ReportDrops(TimeSpan now)
    {
        if (now - _lastDropReport < DropReportPeriod)
        {
            return;
        }

        _lastDropReport = now;
        var snapshot = _core!.Snapshot(now);
        var total = snapshot.Dropped.Values.Aggregate(0UL, (a, b) => a + b);
        if (total > _reportedDrops)
        {
            var delta = snapshot.Dropped.ToDictionary(d => d.Key, d => d.Value - _reportedByReason.GetValueOrDefault(d.Key))
                .Where(d => d.Value > 0).ToDictionary();
            MembershipLog.DatagramsDropped(_logger, total - _reportedDrops, (int)DropReportPeriod.TotalSeconds, MembershipLog.Describe(delta));
            _reportedDrops = total;
            _reportedByReason = snapshot.Dropped;
        }
    }

    void IDatagramSink.Send(int nodeIndex, int link, ReadOnlySpan<byte> datagram)
    {
        // A ring sequence number is on disk before any datagram proposes it, so a restarted node
        // never proposes the same number for another member set (docs/membership.md, invariants).
        if (_core!.HighestProposedSeq > _persistedSeq)
        {
            Persist(_core.HighestProposedSeq);
        }

        if (link < _links.Length && _links[link] is { } socket && _config.Nodes[nodeIndex].Links[link] is { } destination)
        {
            socket.TrySend(datagram, destination);
        }
    }

    private void Handle(Input input)
    {
        var core = _core!;
        switch (input.Kind)
        {
            case InputKind.Snapshot:
                input.Reply!.TrySetResult(core.Snapshot(Now));
                break;
            case InputKind.Covers:
                // The loop waits until the core's next wakeup, computed again after this input.
                core.SetCovers(input.Covers!);
                break;
            case InputKind.Keys:
                core.ReplaceKeys(_keys);
                MembershipLog.KeysReloaded(_logger, _keys.Sending.Id, string.Join(", ", _keys.AcceptedIds));
                break;
        }

        Publish();
    }

    private void Publish()
    {
        // One step of the core raises a distrust before its views and a trust after them (ViewTrustChange).
        var trust = _core!.TakeTrustChanges();
        PublishTrust(trust.Where(t => !t.Trusted));
        foreach (var change in _core.TakeViewChanges())
        {
            LogChange(change);
            foreach (var sink in _sinks)
            {
                sink.Publish(change, _startWall + change.At);
            }
        }

        PublishTrust(trust.Where(t => t.Trusted));
    }

    private void PublishTrust(IEnumerable<ViewTrustChange> changes)
    {
        foreach (var change in changes)
        {
            var settling = change.Settling;
            if (change.Trusted)
            {
                MembershipLog.ViewTrusted(_logger, _core!.View.Ring.ToString(), Math.Round((change.At - settling.ResumedAt).TotalMilliseconds, 1),
                    settling.Replaced ? "; the peers had installed a view without this node meanwhile" : "");
            }
            else
            {
                MembershipLog.PauseNoticed(_logger, Math.Round(settling.Pause.TotalMilliseconds, 1), _core!.PauseBound.TotalMilliseconds,
                    _config.Totem.Token.TotalMilliseconds);
            }

            foreach (var sink in _sinks)
            {
                sink.PublishTrust(change, _startWall + change.At);
            }
        }
    }

    private void LogChange(ViewChange change)
    {
        var ring = change.Current.Ring.ToString();
        MembershipLog.ViewInstalled(_logger, ring, string.Join(" ", change.Current.Members.Select(m => NameOf(m.Id))));
        if (!change.Lost.IsEmpty)
        {
            // How long each lost node was silent, so that a false suspicion can be told from a real failure.
            var nodes = _core!.Snapshot(Now).Nodes;
            foreach (var id in change.Lost)
            {
                var silence = nodes.First(n => n.Id == id).Links.Select(l => l.LastSeenAgo).Min();
                MembershipLog.NodeLost(_logger, NameOf(id), Math.Round(silence?.TotalMilliseconds ?? double.NaN, 1),
                    _config.Totem.Token.TotalMilliseconds, ring);
            }
        }

        foreach (var id in change.Left)
        {
            MembershipLog.NodeLeft(_logger, NameOf(id), ring);
        }

        foreach (var id in change.Joined.Where(id => id != _local.Id))
        {
            MembershipLog.NodeJoined(_logger, NameOf(id), ring);
        }

        if (_loggedQuorate != change.Quorum.Quorate)
        {
            _loggedQuorate = change.Quorum.Quorate;
            MembershipLog.QuorumChanged(_logger, change.Quorum.Quorate ? "gained" : "NOT held", change.Quorum.TotalVotes,
                change.Quorum.ExpectedVotes, change.Quorum.Quorum, change.Quorum.WaitForAllSatisfied ? "" : " (wait_for_all: waiting to see every node once)");
        }

        if (_loggedDc != change.Dc)
        {
            _loggedDc = change.Dc;
            MembershipLog.DcChanged(_logger, change.Dc is { } dc ? NameOf(dc) : "none");
        }
    }

    private string NameOf(NodeId id) => _config.Nodes.NameOf(id);

    /// <summary>
    /// Writes the ring sequence before it can be used. A failure is fatal for membership: proposing a
    /// number that a restart could reuse would break the agreement invariants (docs/membership.md).
    /// </summary>
    private void Persist(ulong seq)
    {
        try
        {
            _store.WriteRingSeq(seq);
            _persistedSeq = seq;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            MembershipLog.PersistFailed(_logger, _config.ClusterD.StateDir, e);
            throw;
        }
    }

    private enum InputKind
    {
        Snapshot,
        Keys,
        Covers,
    }

    private readonly record struct Input(InputKind Kind, TaskCompletionSource<MembershipSnapshot>? Reply = null, DetectionCover[]? Covers = null);
}
