using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ClusterD.Admin.V1;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Messaging;

/// <summary>
/// The pre-authentication bound of a live messaging listener: many connections that start a Hello and
/// stall are held at most 64 at a time, the rest refused at once, the held ones closed by the
/// handshake timeout; memory stays flat and the real session carries on.
/// </summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class HandshakeFloodTests
{
    private const int Connections = 2000;
    private const int Sources = 100;
    private const int Parallelism = 32;
    private const int MaxPending = 64; // HandshakeOptions.MaxPendingHandshakes

    /// <summary>Resident growth allowed during the flood. Measured with the bound (JIT daemon): 5.9-6.7 MB peak, from
    /// first use of the refusal paths and the 64 held connections. The build before the bound held all 2,000
    /// connections until its timeout and grew by 126 MB.</summary>
    private const long RssGrowthBound = 24L << 20;

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The length prefix of a 120-byte frame (within the 384-byte Hello bound), and nothing after it.</summary>
    private static readonly byte[] PartialHello = [0, 0, 0, 120];

    [Fact]
    public async Task TwoThousandStalledPartialHellos_HeldAtMost64_RestRefused_AllClosed_MemoryFlat_RealSessionUnharmed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = LoopbackCluster.Create(2, tokenMs: 3000);
        cluster.StartAll();
        var ring = await cluster.WaitForViewAsync([0, 1], ct);
        var node2 = cluster[1];
        var before = await node2.WaitForAsync(s => s.Nodes[0].Messaging?.Connected == true, TimeSpan.FromSeconds(20), ct);
        var target = new IPEndPoint(IPAddress.Parse(cluster.Addresses[1]), 5406);
        var block = cluster.Addresses[1].Split('.')[1];
        var rssBefore = ProcStatus.ResidentBytes(node2.Pid);
        using var stopSampling = new CancellationTokenSource();
        var peakRss = PeakResidentAsync(node2.Pid, stopSampling.Token);

        var sockets = new Socket[Connections];
        var opened = new long[Connections];
        var floodStart = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, Connections, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            var socket = sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse($"127.{block}.250.{1 + (i % Sources)}"), 0));
            opened[i] = Stopwatch.GetTimestamp();
            try
            {
                await socket.ConnectAsync(target, token);
                await socket.SendAsync(PartialHello, SocketFlags.None, token);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
            {
                // Refused and reset before connect() returned or the 4 bytes went out: closed, as expected.
            }
        });
        var floodTime = Stopwatch.GetElapsedTime(floodStart);

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(floodTime + HandshakeTimeout + TimeSpan.FromSeconds(20));
            var closing = sockets.Select((s, i) => LifetimeAsync(s, opened[i], deadline.Token)).ToArray();

            // The excess is refused at once: all of it counted within the handshake timeout of the end of the flood.
            var refusedAtOnce = Connections - MaxPending;
            await node2.WaitForAsync(s => Refusals(s, before, "too_many_pending", "too_many_from_source") >= refusedAtOnce, HandshakeTimeout, ct);

            var lifetimes = await Task.WhenAll(closing);
            stopSampling.Cancel();
            var growth = await peakRss - rssBefore;
            var open = lifetimes.Count(l => l is null);
            Assert.True(open == 0, $"{open} of {Connections} stalled connections were still open {HandshakeTimeout.TotalSeconds + 20:F0} s after the flood");
            var longest = lifetimes.Max(l => l!.Value);
            Assert.True(longest < HandshakeTimeout + TimeSpan.FromSeconds(10), $"a stalled connection was held for {longest.TotalSeconds:F1} s");

            // Every held connection ran into the timeout; if the flood itself lasted longer than the timeout,
            // places freed while it ran were taken again, so more than 64 may have been held in all.
            var expectedTimeouts = floodTime < HandshakeTimeout ? MaxPending : -1;
            var after = await node2.WaitForAsync(
                s => Refusals(s, before, "timeout") + Refusals(s, before, "too_many_pending", "too_many_from_source") == Connections,
                TimeSpan.FromSeconds(10), ct);
            var timeouts = Refusals(after, before, "timeout");
            if (expectedTimeouts > 0)
            {
                Assert.Equal(expectedTimeouts, timeouts);
            }
            else
            {
                Assert.InRange(timeouts, MaxPending, Connections);
            }

            Assert.Equal(timeouts, lifetimes.Count(l => l >= HandshakeTimeout - TimeSpan.FromMilliseconds(500)));
            Assert.Equal(Connections, after.MessagingRefusedSessions - before.MessagingRefusedSessions);
            Assert.True(growth < RssGrowthBound,
                $"node2's resident memory grew by {growth >> 20} MB during the flood ({rssBefore >> 20} MB before; flood took {floodTime.TotalSeconds:F1} s)");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"flood {floodTime.TotalSeconds:F2} s; RSS {rssBefore >> 20} MB + {growth / 1e6:F1} MB peak; timeouts {timeouts}; longest {longest.TotalSeconds:F2} s");

            Assert.False(node2.HasExited);
            Assert.Equal(ring, after.RingId);
            Assert.True(after.Nodes[0].Messaging.Connected, "the real session with node1 was lost");
            Assert.Equal(before.Nodes[0].Messaging.Reconnects, after.Nodes[0].Messaging.Reconnects);
            var bench = await cluster[0].Client.BenchMessagingAsync(
                new BenchMessagingRequest { Node = "node2", Count = 10_000, PayloadBytes = 64, Mode = BenchMessagingRequest.Types.Mode.Stream },
                cancellationToken: ct);
            Assert.Equal(("", 10_000UL, 0UL, 0UL), (bench.Error, bench.Received, bench.OutOfOrder, bench.Duplicates));
        }
        finally
        {
            stopSampling.Cancel();
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    private static long Refusals(ClusterStatusReply now, ClusterStatusReply before, params string[] reasons) =>
        reasons.Sum(r => now.MessagingRefusals.GetValueOrDefault(r) - before.MessagingRefusals.GetValueOrDefault(r));

    /// <summary>How long after it was opened the daemon closed the connection (EOF or reset); null if it was still open at the deadline.</summary>
    private static async Task<TimeSpan?> LifetimeAsync(Socket socket, long opened, CancellationToken deadline)
    {
        var buffer = new byte[512];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline) > 0)
            {
                // The daemon's own Hello, sent first: read and ignored.
            }
        }
        catch (SocketException)
        {
            // Reset: closed.
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return Stopwatch.GetElapsedTime(opened);
    }

    /// <summary>The largest VmRSS seen, sampled every 20 ms until cancelled.</summary>
    private static async Task<long> PeakResidentAsync(int pid, CancellationToken stop)
    {
        var peak = ProcStatus.ResidentBytes(pid);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                peak = Math.Max(peak, ProcStatus.ResidentBytes(pid));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the peak so far is the answer.
        }

        return peak;
    }
}
