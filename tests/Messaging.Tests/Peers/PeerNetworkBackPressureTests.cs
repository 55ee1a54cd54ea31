using System.Diagnostics;
using ClusterD.Messaging.Peers;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>A peer that stops reading slows its senders down instead of growing their memory.</summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkBackPressureTests
{
    private const string Bulk = "bulk";

    [Fact]
    public async Task SendAsync_PeerStopsReading_BlocksAtQueueCapacityWithBoundedMemoryThenEverythingDrains()
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
        try
        {
            await UntilConnected(n1, 1, n2, 2);
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var payload = new byte[1024];
            Random.Shared.NextBytes(payload);
            var maxDepth = 0;
            var maxMemory = baseline;
            void Sample()
            {
                maxDepth = Math.Max(maxDepth, n1.Link(2).QueueDepth);
                maxMemory = Math.Max(maxMemory, GC.GetTotalMemory(forceFullCollection: false));
            }

            using var window = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            window.CancelAfter(TimeSpan.FromSeconds(3));
            var started = Stopwatch.GetTimestamp();
            var lastAccepted = started;
            long sent = 0;
            try
            {
                while (true)
                {
                    await n1.SendAsync(2, Bulk, payload, window.Token);
                    sent++;
                    lastAccepted = Stopwatch.GetTimestamp();
                    if (sent % 256 == 0)
                    {
                        Sample();
                    }
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested && !Ct.IsCancellationRequested)
            {
                // The window closed while SendAsync was waiting for room.
            }

            Sample();
            var blockedFor = Stopwatch.GetElapsedTime(lastAccepted);
            var stalled = n1.Link(2);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"accepted {sent} messages, then blocked for {blockedFor.TotalSeconds:F2} s; max queue {maxDepth}; "
                + $"memory +{(maxMemory - baseline) / (1024 * 1024)} MiB; frames out {stalled.FramesOut}");

            Assert.True(blockedFor > TimeSpan.FromSeconds(1), $"SendAsync should block once the queue is full; last accepted {blockedFor} before the end");
            Assert.Equal(PeerConnection.QueueCapacity, maxDepth);
            Assert.Equal(PeerConnection.QueueCapacity, stalled.QueueDepth);
            Assert.True(stalled.Connected, "a slow peer is not a dead peer");
            Assert.True(maxMemory - baseline < 200L * 1024 * 1024, $"memory grew by {(maxMemory - baseline) / (1024 * 1024)} MiB");
            Assert.True(sent < 200_000, $"accepted {sent} messages for a peer that reads nothing");

            gate.Set();
            await Until(() => Interlocked.Read(ref received) == sent, $"node 2 received all {sent} accepted messages", TimeSpan.FromSeconds(60),
                () => $"{Interlocked.Read(ref received)} received; {n1.Describe()}");
            await Until(() => n1.Link(2).QueueDepth == 0, "node 1's queue drained", diagnostics: n1.Describe);
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
                await Until(() => n1.Link(2).QueueDepth == PeerConnection.QueueCapacity, "node 1's queue is full", diagnostics: n1.Describe);
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
