using System.Buffers.Binary;
using System.Diagnostics;
using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>One-way messages, requests and broadcast between PeerNetwork nodes on real loopback TCP.</summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkMessagingTests
{
    private const string Seq = "seq";

    [Fact]
    public async Task Start_TwoNodes_BothSidesReportTheSession()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2);
        await using var n1 = cluster.Node(1);

        await UntilConnected(n1, 1, n2, 2);

        var at1 = n1.Link(2);
        var at2 = n2.Link(1);
        Assert.Equal(1002UL, at1.PeerIncarnation);
        Assert.Equal(1001UL, at2.PeerIncarnation);
        Assert.Equal(cluster.Address(2).ToString(), at1.RemoteAddress);
        Assert.Equal(0, at1.Reconnects);
        Assert.Equal(0, at2.Reconnects);
        Assert.Empty(at1.Rejects);
        Assert.Empty(at2.Rejects);
    }

    [Fact]
    public async Task SendAsync_200kNumberedMessagesEachWayConcurrently_ArriveCompleteAndInOrder()
    {
        const int Count = 200_000;
        var cluster = new PeerCluster(1, 2);
        var at1 = new SequenceRecorder(expectedFrom: 2);
        var at2 = new SequenceRecorder(expectedFrom: 1);
        await using var n2 = cluster.Node(2, n => n.Handle(Seq, at2.Handle));
        await using var n1 = cluster.Node(1, n => n.Handle(Seq, at1.Handle));
        await UntilConnected(n1, 1, n2, 2);
        var started = Stopwatch.GetTimestamp();

        var oneToTwo = Task.Run(() => SendNumbered(n1, 2, Count), Ct);
        var twoToOne = Task.Run(() => SendNumbered(n2, 1, Count), Ct);
        await Task.WhenAll(oneToTwo, twoToOne).WaitAsync(TimeSpan.FromSeconds(90), Ct);
        await Until(() => at1.Count >= Count && at2.Count >= Count, $"both nodes received {Count} messages",
            TimeSpan.FromSeconds(90), () => $"node 1 has {at1.Count}, node 2 has {at2.Count}; {n1.Describe()}");

        TestContext.Current.TestOutputHelper?.WriteLine($"2 x {Count} messages in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        at2.AssertExactlyInOrder(Count);
        at1.AssertExactlyInOrder(Count);
        Assert.Equal(0, n1.Link(2).Reconnects);
        // Messages may share Data frames (coalesced per flush); the bytes still account for every one.
        Assert.True(n1.Link(2).BytesOut >= Count * 8L, n1.Describe());
        Assert.True(n2.Link(1).BytesIn >= Count * 8L, n2.Describe());
        Assert.Empty(n1.Link(2).Rejects);
        Assert.Empty(n2.Link(1).Rejects);
    }

    [Fact]
    public async Task RequestAsync_EchoHandler_ReturnsTheResponsePayload()
    {
        var cluster = new PeerCluster(1, 2);
        IncomingMessage? seen = null;
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, m =>
        {
            seen = m;
            return EchoHandler(m);
        }));
        await using var n1 = cluster.Node(1, n => n.Handle(Echo, EchoHandler));
        await UntilConnected(n1, 1, n2, 2);

        var fromTwo = await n1.RequestAsync(2, Echo, "ping"u8.ToArray(), TimeSpan.FromSeconds(5), Ct);
        var fromOne = await n2.RequestAsync(1, Echo, "pong"u8.ToArray(), TimeSpan.FromSeconds(5), Ct);

        Assert.Equal(Echoed(1, "ping"u8.ToArray()), fromTwo);
        Assert.Equal(Echoed(2, "pong"u8.ToArray()), fromOne);
        Assert.NotNull(seen);
        Assert.True(seen.IsRequest);
        Assert.Equal(1U, seen.From);
        Assert.Equal(1001UL, seen.FromIncarnation);
        Assert.Equal(Echo, seen.Topic);
    }

    [Fact]
    public async Task RequestAsync_HandlerReturnsNull_GetsAnEmptyPayload()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n => n.Handle("void", _ => ValueTask.FromResult<byte[]?>(null)));
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);

        var reply = await n1.RequestAsync(2, "void", "x"u8.ToArray(), TimeSpan.FromSeconds(5), Ct);

        Assert.Empty(reply);
    }

    [Fact]
    public async Task RequestAsync_1000Concurrent_EachGetsItsOwnResponse()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, async m =>
        {
            // Answer out of order: later requests often finish first.
            await Task.Yield();
            return await EchoHandler(m);
        }));
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);

        var requests = Enumerable.Range(0, 1000).Select(i => n1.RequestAsync(2, Echo, Number(i), TimeSpan.FromSeconds(30), Ct)).ToArray();
        var replies = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        for (var i = 0; i < replies.Length; i++)
        {
            Assert.Equal(Echoed(1, Number(i)), replies[i]);
        }
    }

    [Fact]
    public async Task RequestAsync_HandlerThrows_FailsWithPeerRequestFailedCarryingThePeersMessage()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n =>
        {
            n.Handle("throws.sync", _ => throw new InvalidOperationException("resource r1 is not configured"));
            n.Handle("throws.async", async _ =>
            {
                await Task.Yield();
                throw new ArgumentException("bad constraint c7");
            });
        });
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);

        var sync = Assert.IsType<PeerRequestFailedException>(
            await Failure(n1.RequestAsync(2, "throws.sync", "x"u8.ToArray(), TimeSpan.FromSeconds(5), Ct)));
        var async = Assert.IsType<PeerRequestFailedException>(
            await Failure(n1.RequestAsync(2, "throws.async", "x"u8.ToArray(), TimeSpan.FromSeconds(5), Ct)));

        Assert.Contains("node 2", sync.Message, StringComparison.Ordinal);
        Assert.Contains("throws.sync", sync.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: resource r1 is not configured", sync.Message, StringComparison.Ordinal);
        Assert.Contains("ArgumentException: bad constraint c7", async.Message, StringComparison.Ordinal);
        Assert.True(n1.Link(2).Connected, "a failed handler must not close the session");
        Assert.Equal(0, n1.Link(2).Reconnects);
    }

    [Fact]
    public async Task RequestAsync_UnknownTopic_FailsWithPeerRequestFailed()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, EchoHandler));
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);

        var e = Assert.IsType<PeerRequestFailedException>(
            await Failure(n1.RequestAsync(2, "nobody.home", "x"u8.ToArray(), TimeSpan.FromSeconds(5), Ct)));

        Assert.Contains("no handler for 'nobody.home' on node 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(Echoed(1, [7]), await n1.RequestAsync(2, Echo, new byte[] { 7 }, TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task RequestAsync_HandlerNeverAnswersWithinTheTimeout_ThrowsTimeoutAndTheLateReplyIsIgnored()
    {
        var cluster = new PeerCluster(1, 2);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var n2 = cluster.Node(2, n =>
        {
            n.Handle("slow", async _ =>
            {
                await release.Task;
                return "late"u8.ToArray();
            });
            n.Handle(Echo, EchoHandler);
        });
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);
        var started = Stopwatch.GetTimestamp();

        var e = Assert.IsType<TimeoutException>(
            await Failure(n1.RequestAsync(2, "slow", "x"u8.ToArray(), TimeSpan.FromMilliseconds(100), Ct)));

        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"took {elapsed}");
        Assert.Contains("node 2 did not answer 'slow'", e.Message, StringComparison.Ordinal);
        release.SetResult();
        Assert.Equal(Echoed(1, [1]), await n1.RequestAsync(2, Echo, new byte[] { 1 }, TimeSpan.FromSeconds(5), Ct));
        Assert.True(n1.Link(2).Connected);
        Assert.Equal(0, n1.Link(2).Reconnects);
    }

    [Fact]
    public async Task SendAsync_UnknownPeer_ThrowsPeerUnavailable()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n1 = cluster.Node(1);

        var unknown = await Assert.ThrowsAsync<PeerUnavailableException>(() => n1.SendAsync(9, Seq, Number(1), Ct).AsTask());
        var notRunning = await Assert.ThrowsAsync<PeerUnavailableException>(() => n1.RequestAsync(2, Echo, Number(1), TimeSpan.FromSeconds(1), Ct));

        Assert.Contains("node 9 is not a peer", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("no link to node 2", notRunning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BroadcastAsync_ThreeNodes_ReachesBothPeersAndListsThoseNotReached()
    {
        var cluster = new PeerCluster(1, 2, 3);
        var at1 = new SequenceRecorder(expectedFrom: 2);
        var at3 = new SequenceRecorder(expectedFrom: 2);
        await using var n3 = cluster.Node(3, n => n.Handle(Seq, at3.Handle));
        await using var n2 = cluster.Node(2);
        await using var n1 = cluster.Node(1, n => n.Handle(Seq, at1.Handle));
        await UntilConnected(n1, 1, n2, 2);
        await UntilConnected(n2, 2, n3, 3);
        await UntilConnected(n1, 1, n3, 3);

        var missed = await n2.BroadcastAsync([1, 2, 3], Seq, Number(0), Ct);

        Assert.Empty(missed);
        await Until(() => at1.Count == 1 && at3.Count == 1, "nodes 1 and 3 received the broadcast");

        await n3.DisposeAsync();
        await Until(() => !n2.Link(3).Connected, "node 2 saw node 3 go", diagnostics: n2.Describe);
        missed = await n2.BroadcastAsync([1, 2, 3, 4], Seq, Number(1), Ct);

        Assert.Equal([3U, 4U], missed);
        await Until(() => at1.Count == 2, "node 1 received the second broadcast");
        at1.AssertExactlyInOrder(2);
        at3.AssertExactlyInOrder(1);
    }

    [Theory]
    [InlineData(MessagingCipher.Aes128)]
    [InlineData(MessagingCipher.Aes192)]
    [InlineData(MessagingCipher.Aes256)]
    public async Task Encrypt_BothNodes_RequestsAndOrderedMessagesWorkEndToEnd(MessagingCipher cipher)
    {
        const int Count = 5000;
        var cluster = new PeerCluster(1, 2);
        var at2 = new SequenceRecorder(expectedFrom: 1);
        await using var n2 = cluster.Node(2, n =>
        {
            n.Handle(Seq, at2.Handle);
            n.Handle(Echo, EchoHandler);
        }, cipher: cipher);
        await using var n1 = cluster.Node(1, n => n.Handle(Echo, EchoHandler), cipher: cipher);
        await UntilConnected(n1, 1, n2, 2);

        var reply = await n1.RequestAsync(2, Echo, "secret"u8.ToArray(), TimeSpan.FromSeconds(5), Ct);
        var back = await n2.RequestAsync(1, Echo, "also secret"u8.ToArray(), TimeSpan.FromSeconds(5), Ct);
        await SendNumbered(n1, 2, Count).WaitAsync(Patience, Ct);
        await Until(() => at2.Count >= Count, $"node 2 received {Count} encrypted messages");

        Assert.Equal(Echoed(1, "secret"u8.ToArray()), reply);
        Assert.Equal(Echoed(2, "also secret"u8.ToArray()), back);
        at2.AssertExactlyInOrder(Count);
        Assert.Empty(n1.Link(2).Rejects);
        Assert.Empty(n2.Link(1).Rejects);
        Assert.Equal(0, n1.Link(2).Reconnects);
    }

    internal static async Task SendNumbered(PeerNetwork from, uint to, int count)
    {
        var payload = new byte[8];
        for (long i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(payload, i);
            await from.SendAsync(to, Seq, payload, Ct);
        }
    }
}

/// <summary>Records the sequence numbers a one-way handler receives.</summary>
internal sealed class SequenceRecorder(uint expectedFrom)
{
    private readonly Lock _gate = new();
    private readonly List<long> _seen = [];
    private string? _problem;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    public ValueTask<byte[]?> Handle(IncomingMessage message)
    {
        var n = BinaryPrimitives.ReadInt64BigEndian(message.Payload.Span);
        lock (_gate)
        {
            if (message.From != expectedFrom || message.IsRequest)
            {
                _problem ??= $"message {n} came from node {message.From} (request: {message.IsRequest})";
            }

            _seen.Add(n);
        }

        return default;
    }

    /// <summary>Exactly 0 .. count-1, once each, in order.</summary>
    public void AssertExactlyInOrder(int count)
    {
        lock (_gate)
        {
            Assert.Null(_problem);
            var duplicates = _seen.Count - _seen.Distinct().Count();
            var missing = Enumerable.Range(0, count).Select(i => (long)i).Except(_seen).Take(5).ToArray();
            Assert.True(duplicates == 0, $"{duplicates} duplicate messages");
            Assert.True(missing.Length == 0, $"missing messages, first: {string.Join(", ", missing)}");
            Assert.Equal(count, _seen.Count);
            var firstOutOfOrder = _seen.Select((n, i) => (n, i)).FirstOrDefault(p => p.n != p.i, (-1, -1));
            Assert.True(firstOutOfOrder.i < 0, $"message at position {firstOutOfOrder.i} is number {firstOutOfOrder.n}");
        }
    }
}
