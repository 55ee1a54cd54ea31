using System.Net;
using System.Net.Sockets;
using System.Text;
using ClusterD.Membership;
using ClusterD.Membership.Heartbeats;
using ClusterD.Messaging.Security;
using ClusterD.TestKit;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Membership;

/// <summary>Hostile input at a live daemon: random and mutated datagrams must be dropped and counted, never harm the view.</summary>
[Collection(nameof(RealProcesses))]
public sealed class DatagramFloodTests
{
    private const int Datagrams = 120_000;

    [Fact]
    public async Task RunningDaemon_120kRandomAndMutatedDatagrams_KeepsRunningKeepsViewCountsDrops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        var ring = await cluster.WaitForViewAsync([0, 1], ct);
        var before = await cluster[0].StatusAsync(ct);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var target = new IPEndPoint(IPAddress.Parse(cluster.Addresses[0]), 5405);
        var digest = ClusterD.Membership.Configuration.ClusterConfigurationLoader.Load(cluster.ConfigPath(0)).Nodes.Digest;
        var samples = Samples(cluster.KeyPath, digest);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var buffer = new byte[4096];
        for (var i = 0; i < Datagrams; i++)
        {
            var length = HostileInput.Mutate(random, samples[random.Next(samples.Length)], buffer, Oversize);
            socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, target);
            if (i % 100 == 99)
            {
                await Task.Delay(1, ct); // stay below the socket buffer: a kernel drop would never be counted
            }
        }

        var after = await cluster[0].WaitForAsync(
            s => s.Datagrams.Dropped - before.Datagrams.Dropped >= Datagrams * 0.95, TimeSpan.FromSeconds(30), ct);

        Assert.False(cluster[0].HasExited);
        Assert.Equal(ring, after.RingId);
        Assert.All(after.Nodes, n => Assert.True(n.Online));
        var reasons = after.Datagrams.DroppedByReason;
        Assert.True(reasons.Count >= 5, $"seed {seed}: expected many drop reasons, got {string.Join(", ", reasons)}");
        foreach (var reason in new[] { "bad_mac", "truncated", "oversized", "bad_magic", "wrong_cluster", "stale_incarnation" })
        {
            Assert.True(reasons.ContainsKey(reason), $"seed {seed}: no '{reason}' in {string.Join(", ", reasons)}");
        }
    }

    /// <summary>Datagrams to start from: authentic-looking ones signed with a foreign key, one with the real key but an old incarnation, and junk.</summary>
    private static byte[][] Samples(string keyPath, ulong nodelistDigest)
    {
        var realKeys = new AuthKeyRing(AuthKeyFile.Read(keyPath), []);
        var foreignKeys = new AuthKeyRing(AuthKey.Generate(1), []);
        var samples = new List<byte[]>();
        foreach (var (keys, incarnation, cluster) in new[] { (foreignKeys, 99UL, "hacluster"), (realKeys, 1UL, "hacluster"), (realKeys, 5UL, "othercluster") })
        {
            var frame = new HeartbeatFrame
            {
                Sender = new NodeId(2),
                Incarnation = incarnation,
                Seq = 1,
                InstalledSeq = 9,
                ProposalSeq = 9,
                NodelistDigest = nodelistDigest,
            };
            frame.RowCount = 1;
            frame.Rows[0] = new ConnectivityRow(1, incarnation, 1, 3);
            var buffer = new byte[HeartbeatCodec.MaxDatagram];
            var length = HeartbeatCodec.Write(buffer, frame, Encoding.UTF8.GetBytes(cluster), keys.Sending);
            samples.Add(buffer[..length]);
        }

        return [.. samples];
    }

    /// <summary>Too big: the sample followed by random bytes, 2000 bytes in all (above the 840-byte maximum).</summary>
    private static int Oversize(byte[] sample, byte[] into)
    {
        Random.Shared.NextBytes(into.AsSpan(0, 2000));
        sample.CopyTo(into, 0);
        return 2000;
    }
}
