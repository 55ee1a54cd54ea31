using System.Diagnostics;
using System.Net;
using ClusterD.Messaging.Peers;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>Peer crash and restart, incarnations, link fallback and Disconnect, on real loopback TCP.</summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkFailureTests
{
    private const string Hang = "hang";

    [Fact]
    public async Task PeerCrash_PendingRequests_FailPromptlyWithPeerUnavailableAndARestartedPeerIsAdopted()
    {
        var cluster = new PeerCluster(1, 2);
        var hanging = new HangingHandler();
        await using var n1 = cluster.Node(1);
        await using var n2 = cluster.Node(2, n => n.Handle(Hang, hanging.Handle));
        await UntilConnected(n1, 1, n2, 2);
        var requests = Enumerable.Range(0, 100).Select(i => n1.RequestAsync(2, Hang, Number(i), TimeSpan.FromSeconds(60), Ct)).ToArray();
        await Until(() => hanging.Received == 100, "node 2 holds all 100 requests", diagnostics: () => $"{hanging.Received} received");

        var crashed = Stopwatch.GetTimestamp();
        var disposing = n2.DisposeAsync().AsTask();
        var errors = await Task.WhenAll(requests.Select(r => Failure(r, TimeSpan.FromSeconds(2))));
        var failedAfter = Stopwatch.GetElapsedTime(crashed);
        await disposing.WaitAsync(Patience, Ct);

        Assert.All(errors, e =>
        {
            Assert.IsType<PeerUnavailableException>(e);
            Assert.Contains("link to node 2 closed before the reply", e.Message, StringComparison.Ordinal);
        });
        Assert.True(failedAfter < TimeSpan.FromSeconds(2), $"took {failedAfter}");
        await Until(() => !n1.Link(2).Connected, "node 1 saw the session close", diagnostics: n1.Describe);

        await using var restarted = cluster.Node(2, n => n.Handle(Echo, EchoHandler), incarnation: 2002);
        await Until(() => n1.Link(2) is { Connected: true, PeerIncarnation: 2002 }, "node 1 adopted the restarted node 2", ReconnectPatience,
            n1.Describe);

        Assert.True(n1.Link(2).Reconnects >= 1, n1.Describe());
        Assert.Equal(Echoed(1, "again"u8.ToArray()), await n1.RequestAsync(2, Echo, "again"u8.ToArray(), TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task PeerRestart_WithALowerIncarnationThanLastSeen_IsRefused()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n1 = cluster.Node(1);
        await using (var current = cluster.Node(2, incarnation: 2002))
        {
            await Until(() => n1.Link(2) is { Connected: true, PeerIncarnation: 2002 }, "node 1 has a session with incarnation 2002",
                diagnostics: n1.Describe);
        }

        await Until(() => !n1.Link(2).Connected, "node 1 saw node 2 stop", diagnostics: n1.Describe);
        await using var stale = cluster.Node(2, n => n.Handle(Echo, EchoHandler), incarnation: 1500);

        // Node 1 dials and completes the handshake (node 2 adopts it), then refuses the stale incarnation itself.
        await Until(() => stale.Link(1).PeerIncarnation == 1001, "node 1 has dialled the stale node 2", ReconnectPatience, stale.Describe);
        await Throughout(TimeSpan.FromSeconds(1), () => n1.Link(2) is { Connected: false, PeerIncarnation: 2002 },
            "node 1 keeps refusing incarnation 1500", n1.Describe);

        var e = await Assert.ThrowsAsync<PeerUnavailableException>(() => n1.RequestAsync(2, Echo, Number(1), TimeSpan.FromSeconds(2), Ct));
        Assert.Contains("no link to node 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2U)]
    [InlineData(1U)]
    public async Task PeerRestart_WithALowerIncarnation_DialerBacksOffInsteadOfRedialingInATightLoop(uint staleNode)
    {
        // Stale node 2: node 1 (the dialer) refuses each session it dials. Stale node 1: node 2 refuses each session
        // node 1 dials. Either way every refused session is a full TCP connect and handshake that the stale node
        // adopts (and counts); a dialer that backs off (100 ms doubling to 5 s) makes a handful in 3 s, not hundreds.
        var cluster = new PeerCluster(1, 2);
        var other = 3 - staleNode;
        await using var steady = cluster.Node(other);
        await using (var current = cluster.Node(staleNode, incarnation: 2000 + staleNode))
        {
            await UntilConnected(steady, other, current, staleNode);
        }

        await Until(() => !steady.Link(staleNode).Connected, $"node {other} saw node {staleNode} stop", diagnostics: steady.Describe);
        await using var stale = cluster.Node(staleNode, incarnation: 1500);
        await Until(() => stale.Link(other).PeerIncarnation == 1000 + other, $"node {staleNode} and node {other} completed a handshake",
            ReconnectPatience, stale.Describe);
        var first = stale.Link(other).Reconnects;

        await Throughout(TimeSpan.FromSeconds(3), () => stale.Link(other).Reconnects - first <= 20,
            "at most 20 refused sessions in 3 s (the dialer backs off)", () => $"{stale.Link(other).Reconnects - first} sessions so far");
        Assert.Equal(2000 + staleNode, steady.Link(staleNode).PeerIncarnation);
    }

    [Fact]
    public async Task Dial_LeavesFromTheLocalLinkAddress_PeerSeesThatAddress()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2);
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);

        // Node 1 (the lower id) dials; node 2 sees the session coming from node 1's ring0 address, not 127.0.0.1.
        var seen = System.Net.IPEndPoint.Parse(n2.Link(1).RemoteAddress!);
        Assert.Equal(cluster.Address(1).Address, seen.Address);
        Assert.NotEqual(PeerFixture.Port, seen.Port);
    }

    [Fact]
    public async Task Dial_FirstAddressHasNoListener_FallsBackToTheNextAddress()
    {
        var cluster = new PeerCluster(1, 2);
        var dead = new IPEndPoint(IPAddress.Parse($"127.77.{cluster.Block}.99"), Port);
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, EchoHandler));
        await using var n1 = cluster.Node(1, addressesOf: p => [dead, cluster.Address(p)]);

        await UntilConnected(n1, 1, n2, 2);

        var link = n1.Link(2);
        Assert.Equal(cluster.Address(2).ToString(), link.RemoteAddress);
        Assert.Contains(dead.ToString(), link.LastError, StringComparison.Ordinal);
        Assert.Equal(Echoed(1, [3]), await n1.RequestAsync(2, Echo, new byte[] { 3 }, TimeSpan.FromSeconds(5), Ct));
    }

    [Theory]
    [InlineData(1U)]
    [InlineData(2U)]
    public async Task Disconnect_WithPendingRequests_FailsThemAtOnceAndTheDialerReconnects(uint side)
    {
        var cluster = new PeerCluster(1, 2);
        var hanging = new HangingHandler();
        await using var n1 = cluster.Node(1);
        await using var n2 = cluster.Node(2, n =>
        {
            n.Handle(Hang, hanging.Handle);
            n.Handle(Echo, EchoHandler);
        });
        await UntilConnected(n1, 1, n2, 2);
        var requests = Enumerable.Range(0, 10).Select(i => n1.RequestAsync(2, Hang, Number(i), TimeSpan.FromSeconds(60), Ct)).ToArray();
        await Until(() => hanging.Received == 10, "node 2 holds all 10 requests");

        var started = Stopwatch.GetTimestamp();
        if (side == 1)
        {
            n1.Disconnect(2, "membership lost node2");
        }
        else
        {
            n2.Disconnect(1, "membership lost node1");
        }

        var errors = await Task.WhenAll(requests.Select(r => Failure(r, TimeSpan.FromSeconds(2))));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed}");
        Assert.All(errors, e =>
        {
            Assert.IsType<PeerUnavailableException>(e);
            Assert.Contains(side == 1 ? "closed before the reply: membership lost node2" : "closed before the reply", e.Message,
                StringComparison.Ordinal);
        });
        await Until(() => n1.Link(2) is { Connected: true, Reconnects: >= 1 } && n2.Link(1) is { Connected: true, Reconnects: >= 1 },
            "node 1 redialled node 2", ReconnectPatience, () => $"[1] {n1.Describe()} | [2] {n2.Describe()}");
        Assert.Equal(Echoed(1, [4]), await n1.RequestAsync(2, Echo, new byte[] { 4 }, TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task SessionOpened_EachEndIsToldOfEverySession_BeforeItsFirstMessage()
    {
        var cluster = new PeerCluster(1, 2);
        var log1 = new List<string>();
        var log2 = new List<string>();
        void Record(List<string> log, string entry)
        {
            lock (log)
            {
                log.Add(entry);
            }
        }

        string[] Snapshot(List<string> log)
        {
            lock (log)
            {
                return [.. log];
            }
        }

        ValueTask<byte[]?> Note(List<string> log, IncomingMessage m)
        {
            Record(log, $"message {m.Payload.Span[0]}");
            return ValueTask.FromResult<byte[]?>(null);
        }

        await using var n1 = cluster.Node(1, n =>
        {
            n.HandleSessionOpened(peer => Record(log1, $"opened {peer}"));
            n.Handle("note", m => Note(log1, m));
        });
        await using var n2 = cluster.Node(2, n =>
        {
            n.HandleSessionOpened(peer => Record(log2, $"opened {peer}"));
            n.Handle("note", m => Note(log2, m));
        });
        await UntilConnected(n1, 1, n2, 2);
        await n1.SendAsync(2, "note", new byte[] { 1 }, Ct);
        await Until(() => Snapshot(log2).Length == 2, "node 2 got the first message");

        n2.Disconnect(1, "membership lost node1");
        await Until(() => Snapshot(log1).Length == 2 && Snapshot(log2).Length == 3, "both ends saw the second session",
            ReconnectPatience, () => $"[1] {string.Join(", ", Snapshot(log1))} | [2] {string.Join(", ", Snapshot(log2))}");
        await n1.SendAsync(2, "note", new byte[] { 2 }, Ct);
        await Until(() => Snapshot(log2).Length == 4, "node 2 got the second message");

        Assert.Equal(["opened 2", "opened 2"], Snapshot(log1));
        Assert.Equal(["opened 1", "message 1", "opened 1", "message 2"], Snapshot(log2));
    }

    /// <summary>A request handler that never answers; counts what it got.</summary>
    private sealed class HangingHandler
    {
        private readonly TaskCompletionSource<byte[]?> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public ValueTask<byte[]?> Handle(IncomingMessage message)
        {
            Interlocked.Increment(ref _received);
            return new ValueTask<byte[]?>(_never.Task);
        }
    }
}
