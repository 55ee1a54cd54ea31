using System.Net;
using System.Net.Sockets;
using ClusterD.Messaging.Peers;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>
/// Attacks on the handshake by a host that can reach the messaging port (and, for the recordings, one that
/// saw a real handshake on the wire): reflected, replayed and spliced Hellos never become a session, never
/// replace the live one and change nothing but a refusal counter with its reason.
/// </summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkHandshakeTests
{
    [Fact]
    public async Task Reflection_AcceptorsHelloHandedToTheOtherNode_IsRefusedAndTheLiveSessionIsUntouched()
    {
        // The attack as first seen: connect to node 2, take the Hello it sends first, open a connection to
        // node 1 and hand that Hello over. Before key confirmation node 1 installed it as node 2's session.
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, EchoHandler));
        await using var n1 = cluster.Node(1, n => n.Handle(Echo, EchoHandler));
        await UntilConnected(n1, 1, n2, 2);
        var before = (n1.Link(2), n2.Link(1));

        using var toNode2 = await Attacker(cluster, cluster.Address(2));
        var node2Hello = await new FrameInbox(toNode2).NextAsync();
        using var toNode1 = await Attacker(cluster, cluster.Address(1));
        await toNode1.SendAsync(node2Hello, SocketFlags.None, Ct);

        Assert.True(await ClosedByNode(toNode1), "node 1 should drop the connection");
        await AssertUntouched(n1, n2, before, refusedBy: n1, reason: "wrong_peer");
    }

    [Fact]
    public async Task Replay_RecordedHandshakeOfTheRealPeer_IsRefusedAsUnconfirmedAndTheLiveSessionIsUntouched()
    {
        // An observer recorded node 1's side of the live session (Hello, Finished, data) and plays it to node 2
        // on a connection of its own. The Hello verifies (it is node 1's), but the recorded Finished answers
        // another handshake's nonces: refused. Before key confirmation this replaced node 2's live session.
        var cluster = new PeerCluster(1, 2);
        await using var recorded = await Recorded.StartAsync(cluster);
        var (n1, n2, proxy) = (recorded.N1, recorded.N2, recorded.Proxy);
        var before = (n1.Link(2), n2.Link(1));
        var frames = RawPeer.Frames(Assert.Single(proxy.Recordings).Sent());
        Assert.True(frames.Count >= 3, $"recorded {frames.Count} frames of node 1's side");

        using var replay = await Attacker(cluster, cluster.Address(2));
        await replay.SendAsync(frames.SelectMany(f => f).ToArray(), SocketFlags.None, Ct);

        Assert.True(await ClosedByNode(replay), "node 2 should drop the replayed connection");
        await AssertUntouched(n1, n2, before, refusedBy: n2, reason: "unconfirmed");
    }

    [Fact]
    public async Task Splice_HelloOfOneRecordedSessionFramesOfAnother_IsRefusedAsUnconfirmed()
    {
        // Two real sessions recorded (the second after a reconnect); the attacker sends the Hello of one with the
        // Finished and data of the other, both ways round. Neither verifies.
        var cluster = new PeerCluster(1, 2);
        await using var recorded = await Recorded.StartAsync(cluster);
        var (n1, n2, proxy) = (recorded.N1, recorded.N2, recorded.Proxy);
        n1.Disconnect(2, "test: record a second session");
        await Until(() => proxy.Recordings.Count == 2 && n1.Link(2).Connected && n2.Link(1).Connected, "node 1 redialled through the proxy",
            ReconnectPatience, () => $"[1] {n1.Describe()} | [2] {n2.Describe()}");
        Assert.Equal(Echoed(1, [2]), await n1.RequestAsync(2, Echo, new byte[] { 2 }, TimeSpan.FromSeconds(5), Ct));
        var before = (n1.Link(2), n2.Link(1));
        var first = RawPeer.Frames(proxy.Recordings[0].Sent());
        var second = RawPeer.Frames(proxy.Recordings[1].Sent());

        foreach (var (hello, rest) in new[] { (first, second), (second, first) })
        {
            using var splice = await Attacker(cluster, cluster.Address(2));
            await splice.SendAsync(hello[0].Concat(rest.Skip(1).SelectMany(f => f)).ToArray(), SocketFlags.None, Ct);
            Assert.True(await ClosedByNode(splice), "node 2 should drop the spliced connection");
        }

        await AssertUntouched(n1, n2, before, refusedBy: n2, reason: "unconfirmed", refusals: 2);
    }

    [Fact]
    public async Task Silence_PeerStopsAnsweringPings_SessionIsDroppedAfterTheSilenceLimit()
    {
        // A confirmed peer that then sends nothing at all (frozen, or its host gone without a reset): the node
        // drops the session after SilenceLimit instead of keeping a half-open session for ever.
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, tune: o => o with { SilenceLimit = TimeSpan.FromSeconds(2) });
        await using var raw = await RawPeer.HandshakeAsync(cluster.Address(2), 1, 2, cluster.Ring);
        await Until(() => n2.Link(1).Connected, "node 2 adopted the raw peer's session", diagnostics: n2.Describe);

        Assert.True(await raw.ReadUntilClosedAsync().WaitAsync(TimeSpan.FromSeconds(10), Ct), "node 2 should close the silent session");
        await Until(() => !n2.Link(1).Connected, "node 2 dropped the session", diagnostics: n2.Describe);
        Assert.Contains("nothing received for", n2.Link(1).LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flood_2000StalledHandshakesFrom100Addresses_BoundedRefusedAtOnceClosedByTheTimeoutAndThePeerStillGetsIn()
    {
        // 2,000 connections from 100 addresses each send 4 bytes of a Hello and stall. At most 64 (4 per address)
        // are held in their handshake, the rest are reset at once; the held ones are closed by the handshake
        // timeout. Meanwhile the real session works, and the real peer (a nodelist address) can reconnect.
        const int Connections = 2000;
        var cluster = new PeerCluster(1, 2);
        var handshakeTimeout = TimeSpan.FromSeconds(8);
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, EchoHandler), tune: o => o with { HandshakeTimeout = handshakeTimeout });
        await using var n1 = cluster.Node(1, n => n.Handle(Echo, EchoHandler));
        await UntilConnected(n1, 1, n2, 2);
        var limits = PeerCluster.Options(2, cluster.Ring);
        var reconnectsBefore = n2.Link(1).Reconnects;

        // Every connection is either refused at once or admitted and then timed out: with exactly 64 timeouts
        // and 1,936 refusals counted below, no more than 64 were ever admitted, so none more were ever held.
        var sockets = new Socket[Connections];
        try
        {
            await Parallel.ForAsync(0, Connections, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct }, async (i, token) =>
            {
                var socket = sockets[i] = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse($"127.77.{cluster.Block}.{100 + (i % 100)}"), 0));
                try
                {
                    await socket.ConnectAsync(cluster.Address(2), token);
                    await socket.SendAsync(new byte[] { 0, 0, 0, 60 }, SocketFlags.None, token);
                }
                catch (SocketException)
                {
                    // Reset at once: refused.
                }
            });

            await Until(() => n2.Refusals.GetValueOrDefault("too_many_pending") + n2.Refusals.GetValueOrDefault("too_many_from_source")
                == Connections - limits.MaxPendingHandshakes, "all but the admitted connections were refused at once",
                diagnostics: () => string.Join(", ", n2.Refusals.Select(r => $"{r.Key}={r.Value}")) + $", pending {n2.PendingHandshakes}");
            Assert.Equal(limits.MaxPendingHandshakes, n2.PendingHandshakes);
            Assert.Equal(Echoed(1, [1]), await n1.RequestAsync(2, Echo, new byte[] { 1 }, TimeSpan.FromSeconds(5), Ct));

            // The real peer still gets in while the stalled connections hold every place for strangers.
            n1.Disconnect(2, "test: reconnect during the flood");
            await Until(() => n1.Link(2).Connected && n2.Link(1).Reconnects == reconnectsBefore + 1, "node 1 reconnected during the flood",
                ReconnectPatience, () => $"[1] {n1.Describe()} | [2] {n2.Describe()}");
            Assert.Equal(limits.MaxPendingHandshakes, n2.PendingHandshakes);
            Assert.Equal(Echoed(1, [2]), await n1.RequestAsync(2, Echo, new byte[] { 2 }, TimeSpan.FromSeconds(5), Ct));

            var closed = await Task.WhenAll(sockets.Select(ClosedByNode));
            Assert.All(closed, Assert.True);
            await Until(() => n2.Refusals.GetValueOrDefault("timeout") == limits.MaxPendingHandshakes, "the held connections timed out",
                handshakeTimeout + Patience, () => string.Join(", ", n2.Refusals.Select(r => $"{r.Key}={r.Value}")));
            Assert.Equal(0, n2.PendingHandshakes);
            Assert.Equal(Connections, n2.RefusedSessions);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }

        Assert.Equal(Echoed(2, [3]), await n2.RequestAsync(1, Echo, new byte[] { 3 }, TimeSpan.FromSeconds(5), Ct));
    }

    private static async Task<Socket> Attacker(PeerCluster cluster, IPEndPoint target)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse($"127.77.{cluster.Block}.66"), 0));
        await socket.ConnectAsync(target, Ct);
        return socket;
    }

    /// <summary>True once the node closes or resets the connection (within the handshake timeout and some).</summary>
    private static async Task<bool> ClosedByNode(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task AssertUntouched(
        PeerNetwork n1, PeerNetwork n2, (PeerLinkStatus At1, PeerLinkStatus At2) before, PeerNetwork refusedBy, string reason, long refusals = 1)
    {
        await Until(() => refusedBy.Refusals.GetValueOrDefault(reason) == refusals, $"the attack is counted as {reason}",
            diagnostics: () => string.Join(", ", refusedBy.Refusals.Select(r => $"{r.Key}={r.Value}")));
        Assert.Equal(refusals, refusedBy.RefusedSessions);
        foreach (var (now, then) in new[] { (n1.Link(2), before.At1), (n2.Link(1), before.At2) })
        {
            Assert.True(now.Connected, "the live session must survive");
            Assert.Equal(then.RemoteAddress, now.RemoteAddress);
            Assert.Equal(then.Reconnects, now.Reconnects);
            Assert.Equal(then.PeerIncarnation, now.PeerIncarnation);
            Assert.Empty(now.Rejects);
        }

        Assert.Equal(Echoed(1, [7]), await n1.RequestAsync(2, Echo, new byte[] { 7 }, TimeSpan.FromSeconds(5), Ct));
        Assert.Equal(Echoed(2, [8]), await n2.RequestAsync(1, Echo, new byte[] { 8 }, TimeSpan.FromSeconds(5), Ct));
    }

    /// <summary>Nodes 1 and 2 with node 1 dialling through a <see cref="RecordingProxy"/>, connected and one request answered.</summary>
    private sealed record Recorded(PeerNetwork N1, PeerNetwork N2, RecordingProxy Proxy) : IAsyncDisposable
    {
        public static async Task<Recorded> StartAsync(PeerCluster cluster)
        {
            var proxyAddress = new IPEndPoint(IPAddress.Parse($"127.77.{cluster.Block}.100"), Port);
            var n2 = cluster.Node(2, n => n.Handle(Echo, EchoHandler));
            var proxy = new RecordingProxy(proxyAddress, cluster.Address(2));
            var n1 = cluster.Node(1, n => n.Handle(Echo, EchoHandler), addressesOf: _ => [proxyAddress]);
            var recorded = new Recorded(n1, n2, proxy);
            try
            {
                await UntilConnected(n1, 1, n2, 2);
                Assert.Equal(Echoed(1, [1]), await n1.RequestAsync(2, Echo, new byte[] { 1 }, TimeSpan.FromSeconds(5), Ct));
                return recorded;
            }
            catch
            {
                await recorded.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await N1.DisposeAsync();
            await Proxy.DisposeAsync();
            await N2.DisposeAsync();
        }
    }
}
