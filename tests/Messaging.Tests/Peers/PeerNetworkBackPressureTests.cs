using System.Diagnostics;
using ClusterD.Messaging.Peers;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>A peer that stops reading slows its senders down instead of growing their memory.</summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkBackPressureTests
{
    private const string Bulk = "bulk";

    /// <summary>
    /// The queue is bounded in messages and in bytes, whichever comes first: small messages stop at
    /// <see cref="PeerConnection.QueueCapacity"/>, 1 KiB ones at the byte bound (about 4,000), and 1 MiB
    /// ones after four. Live memory (both nodes are in this process) stays within the byte bound (4 MiB)
    /// plus a few frames: node 1's batch buffer and pipe, node 2's partial frame and scratch, the payload.
    /// </summary>
    [Theory]
    [InlineData(8, 200)]
    [InlineData(1024, 200)]
    [InlineData((1 << 20) - 64, 16)]
    public async Task SendAsync_PeerStopsReading_BlocksAtTheQueueBoundWithBoundedMemoryThenEverythingDrains(int payloadBytes, int memoryLimitMiB)
    {
        var cluster = new PeerCluster(1, 2);
        using var gate = new ManualResetEventSlim();
        long received = 0;
        await using var n2 = cluster.Node(2, n =>
        {
            // Runs on node 2's read loop: while it blocks, node 2 reads nothing from the socket.
            n.Handle(Bulk, _ =>
            {
                gate.Wait(TimeSpan.FromSeconds(60));
                Interlocked.Increment(ref received);
                return default;
            });
            n.Handle(Echo, EchoHandler);
        });
        await using var n1 = cluster.Node(1);
        var queueBytes = PeerCluster.Options(1, cluster.Ring).QueueBytes;
        try
        {
            await UntilConnected(n1, 1, n2, 2);
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var payload = new byte[payloadBytes];
            Random.Shared.NextBytes(payload);
            var maxDepth = 0;
            var maxQueued = 0L;
            void Sample()
            {
                maxDepth = Math.Max(maxDepth, n1.Link(2).QueueDepth);
                maxQueued = Math.Max(maxQueued, n1.Link(2).QueuedBytes);
            }

            // Send until one SendAsync has waited 1.5 s for room (the queue is at its bound): however long filling
            // the socket buffers and the queue takes on a loaded machine, but no longer than a minute.
            using var window = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var started = Stopwatch.GetTimestamp();
            var lastAccepted = started;
            long sent = 0;
            try
            {
                while (true)
                {
                    Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(1), $"SendAsync never blocked: {sent} messages accepted in a minute");
                    window.CancelAfter(TimeSpan.FromSeconds(1.5));
                    await n1.SendAsync(2, Bulk, payload, window.Token);
                    sent++;
                    lastAccepted = Stopwatch.GetTimestamp();
                    if (sent % 256 == 0 || payloadBytes > 4096)
                    {
                        Sample();
                    }
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested && !Ct.IsCancellationRequested)
            {
                // A send waited 1.5 s for room.
            }

            Sample();
            var live = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            var blockedFor = Stopwatch.GetElapsedTime(lastAccepted);
            var stalled = n1.Link(2);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"accepted {sent} messages of {payloadBytes} B, then blocked for {blockedFor.TotalSeconds:F2} s; max queue {maxDepth} messages, "
                + $"{maxQueued} B; live memory +{live / 1024} KiB; frames out {stalled.FramesOut}");

            Assert.True(blockedFor > TimeSpan.FromSeconds(1), $"SendAsync should block once the queue is full; last accepted {blockedFor} before the end");
            Assert.True(maxQueued <= queueBytes, $"queued {maxQueued} bytes, above the {queueBytes}-byte bound");
            if (payloadBytes < 64)
            {
                Assert.Equal(PeerConnection.QueueCapacity, maxDepth);
                Assert.Equal(PeerConnection.QueueCapacity, stalled.QueueDepth);
            }
            else
            {
                // Full in bytes: not even one more message of this size fits.
                Assert.InRange(stalled.QueuedBytes, queueBytes - payloadBytes - 64, queueBytes);
                Assert.True(maxDepth < PeerConnection.QueueCapacity, $"the byte bound should come first, queue reached {maxDepth} messages");
            }

            Assert.True(stalled.Connected, "a slow peer is not a dead peer");
            Assert.True(live < memoryLimitMiB * 1024L * 1024, $"live memory grew by {live / 1024} KiB (limit {memoryLimitMiB} MiB)");
            // What was accepted is the queue plus what the kernel's socket buffers took (a few MiB on loopback).
            Assert.True(sent * (payloadBytes + 16L) < 64L << 20, $"accepted {sent} messages of {payloadBytes} B for a peer that reads nothing");

            gate.Set();
            await Until(() => Interlocked.Read(ref received) == sent, $"node 2 received all {sent} accepted messages", TimeSpan.FromSeconds(60),
                () => $"{Interlocked.Read(ref received)} received; {n1.Describe()}");
            await Until(() => n1.Link(2).QueueDepth == 0 && n1.Link(2).QueuedBytes == 0, "node 1's queue drained", diagnostics: n1.Describe);
            Assert.Equal(0, n1.Link(2).Reconnects);
            Assert.Empty(n2.Link(1).Rejects);
            Assert.Equal(Echoed(1, [5]), await n1.RequestAsync(2, Echo, new byte[] { 5 }, TimeSpan.FromSeconds(10), Ct));
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task DisposeAsync_WhileThePeerIsNotReading_CompletesWithoutThrowing()
    {
        var cluster = new PeerCluster(1, 2);
        using var gate = new ManualResetEventSlim();
        await using var n2 = cluster.Node(2, n => n.Handle(Bulk, _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(60));
            return default;
        }));
        var n1 = cluster.Node(1);
        try
        {
            await UntilConnected(n1, 1, n2, 2);
            var payload = new byte[1024];
            using (var fill = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                var filling = Task.Run(
                    async () =>
                    {
                        while (true)
                        {
                            await n1.SendAsync(2, Bulk, payload, fill.Token);
                        }
                    },
                    Ct);
                await Until(() => n1.Link(2).QueuedBytes > PeerCluster.Options(1, cluster.Ring).QueueBytes - 2048, "node 1's queue is full",
                    diagnostics: n1.Describe);
                await fill.CancelAsync();
                Assert.IsAssignableFrom<OperationCanceledException>(await Failure(filling));
            }

            // Node 1's write loop is stuck in a flush with bytes still buffered in its pipe once it stops writing frames.
            await UntilSteady(() => n1.Link(2).FramesOut, TimeSpan.FromMilliseconds(300), "node 1's write loop stalled");
            var disposing = n1.DisposeAsync().AsTask();
            var finished = await Task.WhenAny(disposing, Task.Delay(Patience, Ct));

            Assert.True(ReferenceEquals(finished, disposing), "DisposeAsync did not finish");
            Assert.Null(disposing.Exception?.InnerException);
        }
        finally
        {
            gate.Set();
            try
            {
                await n1.DisposeAsync();
            }
            catch (IOException)
            {
                // Reported by the assertion above.
            }
        }
    }
}
