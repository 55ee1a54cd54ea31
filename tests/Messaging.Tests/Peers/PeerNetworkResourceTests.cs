using System.Runtime;
using ClusterD.Messaging.Peers;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>What sessions leave behind: sockets of closed sessions, work that finishes after dispose, a message too big for the peer.</summary>
[Collection(PeerNetworkCollection.Name)]
public sealed class PeerNetworkResourceTests
{
    [Fact]
    public async Task Disconnect_RepeatedCycles_ClosedSessionsReleaseTheirSockets()
    {
        // Each session here is short-lived, so the dialer's backoff grows (to 5 s): a few cycles show a leak clearly enough.
        const int Cycles = 8;
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2);
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);
        ReleaseGarbage();
        var before = SocketHandles();
        int leaked;

        // No GC during the cycles: a socket that only its finalizer would close must show up as open.
        var noGc = GC.TryStartNoGCRegion(64L * 1024 * 1024);
        try
        {
            await DisconnectCyclesAsync(n1, n2, Cycles);
            leaked = SocketHandles() - before;
        }
        finally
        {
            if (noGc && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }

        // One live session (a socket on each side) replaced the first: the count should not grow with the cycles.
        // Closed sessions are never disposed (only shut down), so each cycle leaves both sockets to the finalizer.
        Assert.True(leaked <= 4, $"{leaked} more open sockets after {Cycles} disconnect cycles (GC held off: {noGc})");
    }

    [Fact]
    public async Task Disconnect_RepeatedCycles_EachClosedSessionsReceiveThreadEnds()
    {
        const int Cycles = 4;
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2);
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);

        // A session is current (Connected) a moment before its receive thread starts.
        await Until(() => ReceiveThreads(2) == 1 && ReceiveThreads(1) == 1, "each side receives the live session on one thread");

        await DisconnectCyclesAsync(n1, n2, Cycles);

        // One receiving thread per live session on each side; the closed sessions' threads are gone.
        await Until(() => ReceiveThreads(2) == 1 && ReceiveThreads(1) == 1, "only the live sessions' receive threads remain",
            diagnostics: () => $"node 1 receiving from 2: {ReceiveThreads(2)}, node 2 receiving from 1: {ReceiveThreads(1)}");

        await n1.DisposeAsync();
        await Until(() => ReceiveThreads(2) == 0 && ReceiveThreads(1) == 0, "no receive thread after the node stopped",
            diagnostics: () => $"{ReceiveThreads(2)} + {ReceiveThreads(1)} left");
    }

    [Fact]
    public async Task Dispose_RequestHandlerFinishesAfterwards_NoUnobservedException()
    {
        var unobserved = new List<Exception>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains("ClusterD.Messaging.Peers", StringComparison.Ordinal))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception);
                }
            }
        }

        TaskScheduler.UnobservedTaskException += Record;
        try
        {
            var cluster = new PeerCluster(1, 2);
            var release = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var received = 0;
            await using var n2 = cluster.Node(2, n => n.Handle("slow", _ =>
            {
                Interlocked.Increment(ref received);
                return new ValueTask<byte[]?>(release.Task);
            }));
            await using var n1 = cluster.Node(1);
            await UntilConnected(n1, 1, n2, 2);
            var request = n1.RequestAsync(2, "slow", "x"u8.ToArray(), TimeSpan.FromSeconds(30), Ct);
            await Until(() => Volatile.Read(ref received) == 1, "node 2 is handling the request");

            await n2.DisposeAsync();
            Assert.IsType<PeerUnavailableException>(await Failure(request));
            release.SetResult("too late"u8.ToArray());

            // A faulted fire-and-forget task is reported when it is finalized.
            for (var i = 0; i < 50 && Count(unobserved) == 0; i++)
            {
                await Task.Delay(20, Ct);
                ReleaseGarbage();
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Record;
        }

        Assert.True(Count(unobserved) == 0, $"unobserved: {string.Join(Environment.NewLine, unobserved)}");
    }

    [Fact]
    public async Task SendAsync_PayloadAboveThePeersMaxBody_IsRefusedLocallyAndTheSessionSurvives()
    {
        var cluster = new PeerCluster(1, 2);
        var bigDelivered = 0;
        var slow = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var n2 = cluster.Node(2, n =>
        {
            n.Handle("slow", _ => new ValueTask<byte[]?>(slow.Task));
            n.Handle("big", _ =>
            {
                Interlocked.Increment(ref bigDelivered);
                return default;
            });
        });
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);
        var unrelated = n1.RequestAsync(2, "slow", "x"u8.ToArray(), TimeSpan.FromSeconds(30), Ct);

        // 1 MiB + 100 bytes cannot fit in a frame node 2 accepts (MaxBody 1 MiB, announced in its Hello).
        await Assert.ThrowsAnyAsync<ArgumentException>(() => n1.SendAsync(2, "big", new byte[(1 << 20) + 100], Ct).AsTask());

        slow.SetResult("fine"u8.ToArray());
        Assert.Equal("fine"u8.ToArray(), await unrelated.WaitAsync(Patience, Ct));
        Assert.Equal(0, n1.Link(2).Reconnects);
        Assert.Empty(n2.Link(1).Rejects);
        Assert.Equal(0, Volatile.Read(ref bigDelivered));
    }

    private static int Count(List<Exception> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static void ReleaseGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Node 1 closes its session with node 2 <paramref name="cycles"/> times, each time until both sides reconnected.</summary>
    private static async Task DisconnectCyclesAsync(PeerNetwork n1, PeerNetwork n2, int cycles)
    {
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            n1.Disconnect(2, $"cycle {cycle}");
            await Until(() => n1.Link(2) is { Connected: true } a && a.Reconnects == cycle && n2.Link(1) is { Connected: true } b && b.Reconnects == cycle,
                $"reconnected after cycle {cycle}", ReconnectPatience, () => $"[1] {n1.Describe()} | [2] {n2.Describe()}");
        }
    }

    /// <summary>Threads of this process receiving from node <paramref name="peer"/> (the kernel's copy of the thread name).</summary>
    private static int ReceiveThreads(uint peer) => new DirectoryInfo("/proc/self/task").GetDirectories()
        .Count(task => TryReadName(task) == $"peer {peer} receive");

    private static string? TryReadName(DirectoryInfo task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task.FullName, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile
        }
    }

    private static int SocketHandles() => new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
        .Count(f => f.LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal));
}
