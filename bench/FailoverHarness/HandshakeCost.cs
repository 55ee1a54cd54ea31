using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;
using ClusterD.TestKit.Processes;

namespace ClusterD.FailoverHarness;

/// <summary>
/// Connect to confirmed session: the harness dials a real daemon (node 2) as node 1 would, from node 1's
/// address with the cluster key, and times each connection from connect() to the end of the handshake
/// (Hello and Finished both ways). Node 1's own daemon is never started, so no live session is replaced.
/// </summary>
internal static class HandshakeCost
{
    private const int WarmUp = 200;

    public static async Task<int> RunAsync(int runs, MessagingCipher cipher, string? binary)
    {
        var ct = CancellationToken.None;
        await using var cluster = LoopbackCluster.Create(2, 1000, binary: binary, extraTotem: $"crypto_cipher: {cipher.Name()}");
        var node2 = cluster.Start(1);
        await node2.WaitForAsync(s => s.Nodes.Count == 2, TimeSpan.FromSeconds(20), ct);

        var ring = new AuthKeyRing(AuthKeyFile.Read(cluster.KeyPath), []);
        var options = new HandshakeOptions("hacluster", LocalNode: 1, Incarnation: (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            () => ring, cipher, IsKnownNode: id => id is 1 or 2, MaxBody: 1 << 20, HandshakeTimeout: TimeSpan.FromSeconds(5));
        var local = new IPEndPoint(IPAddress.Parse(cluster.Addresses[0]), 0);
        var target = new IPEndPoint(IPAddress.Parse(cluster.Addresses[1]), 5406);

        // Node 2 has to start listening; the first handshakes also pay for JIT and first-use costs on both sides.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await OnceAsync(local, target, options, ct);
                break;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100, ct);
            }
        }

        var before = await node2.StatusAsync(ct);
        var times = new double[runs];
        for (var i = -WarmUp; i < runs; i++)
        {
            var elapsed = await OnceAsync(local, target, options, ct);
            if (i >= 0)
            {
                times[i] = elapsed.TotalMicroseconds;
            }
        }

        var after = await node2.StatusAsync(ct);
        Array.Sort(times);
        double At(double q) => times[Math.Max(0, (int)Math.Ceiling(q * runs) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"handshake {cipher.Name()} x {runs} (after {WarmUp} warm-up): p50 {At(0.50):F0} us, p90 {At(0.90):F0} us, p99 {At(0.99):F0} us, max {times[^1]:F0} us"));
        var refused = after.MessagingRefusals.Where(r => r.Value != before.MessagingRefusals.GetValueOrDefault(r.Key)).ToArray();
        Console.WriteLine(refused.Length == 0
            ? "node2 refused none of them"
            : "node2 refused: " + string.Join(", ", refused.Select(r => $"{r.Key} {r.Value - before.MessagingRefusals.GetValueOrDefault(r.Key)}")));
        foreach (var line in node2.Output.Split('\n').Where(l => l.Contains("refused", StringComparison.OrdinalIgnoreCase)).Take(5))
        {
            Console.WriteLine("  node2: " + line.Trim());
        }

        return 0;
    }

    /// <summary>One connection, from connect() to a confirmed session, which is then disposed without starting it.</summary>
    private static async Task<TimeSpan> OnceAsync(IPEndPoint local, IPEndPoint target, HandshakeOptions options, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(local);
            var started = Stopwatch.GetTimestamp();
            await socket.ConnectAsync(target, ct);
            await using var session = await PeerConnection.HandshakeAsync(socket, options, expectedPeer: 2, ct);
            return Stopwatch.GetElapsedTime(started);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
