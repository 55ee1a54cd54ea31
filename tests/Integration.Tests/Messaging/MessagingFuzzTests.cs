using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ClusterD.Admin.V1;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Security;
using ClusterD.TestKit;
using ClusterD.TestKit.Processes;
using Google.Protobuf;

namespace ClusterD.Integration.Tests.Messaging;

/// <summary>Hostile input at a live messaging listener: the daemon refuses and counts it, and its real session carries on.</summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class MessagingFuzzTests
{
    private const int Connections = 100_000;
    private const int Workers = 16;

    [Fact]
    public async Task LiveListener_100kRandomAndMutatedFrames_RefusedCountedAndRealSessionUnharmed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = LoopbackCluster.Create(2, tokenMs: 3000);
        cluster.StartAll();
        var ring = await cluster.WaitForViewAsync([0, 1], ct);
        await cluster[1].WaitForAsync(s => s.Nodes[0].Messaging?.Connected == true, TimeSpan.FromSeconds(20), ct);
        var before = await cluster[1].StatusAsync(ct);
        var target = new IPEndPoint(IPAddress.Parse(cluster.Addresses[1]), 5406);
        var samples = Samples(AuthKeyFile.Read(cluster.KeyPath));
        var seed = Environment.TickCount;

        var sent = 0;
        await Parallel.ForAsync(0, Workers, ct, async (worker, token) =>
        {
            var random = new Random(seed + worker);
            var buffer = new byte[80_000];
            for (var i = worker; i < Connections; i += Workers)
            {
                var length = HostileInput.Mutate(random, samples[random.Next(samples.Length)], buffer, Oversize);
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.LingerState = new LingerOption(true, 0); // reset on close: no TIME_WAIT, so 100k connections fit the port range
                socket.Bind(new IPEndPoint(IPAddress.Parse($"127.{cluster.Addresses[1].Split('.')[1]}.250.{1 + (i % 200)}"), 0));
                await socket.ConnectAsync(target, token);
                await socket.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, token);
                Interlocked.Increment(ref sent);
            }
        });

        var after = await cluster[1].WaitForAsync(
            s => s.MessagingRefusedSessions - before.MessagingRefusedSessions >= Connections * 0.99, TimeSpan.FromSeconds(60), ct);
        Assert.Equal(Connections, sent);
        Assert.False(cluster[1].HasExited);
        Assert.Equal(ring, after.RingId);
        Assert.True(after.Nodes[0].Messaging.Connected, "the real session with node1 was lost");
        Assert.Equal(before.Nodes[0].Messaging.Reconnects, after.Nodes[0].Messaging.Reconnects);

        var bench = await cluster[0].Client.BenchMessagingAsync(
            new BenchMessagingRequest { Node = "node2", Count = 10_000, PayloadBytes = 64, Mode = BenchMessagingRequest.Types.Mode.Stream },
            cancellationToken: ct);
        Assert.Equal(("", 10_000UL, 0UL, 0UL), (bench.Error, bench.Received, bench.OutOfOrder, bench.Duplicates));
    }

    /// <summary>Starting points: Hellos signed with a foreign key, with the real key but for a node that does not exist, and a Data frame before any Hello.</summary>
    private static byte[][] Samples(AuthKey realKey)
    {
        var samples = new List<byte[]>();
        foreach (var (key, node) in new[] { (AuthKey.Generate(1), 2u), (realKey, 9u), (realKey, 1u) })
        {
            var hello = new ClusterD.Messaging.Wire.Hello
            {
                ProtocolVersion = 2,
                ClusterName = "hacluster",
                NodeId = node,
                Incarnation = 1,
                ExpectedPeer = 2,
                Cipher = "aes256",
                Nonce = ByteString.CopyFrom(new byte[16]),
                MaxFrameBytes = 1 << 20,
            };
            var output = new ArrayBufferWriter<byte>();
            using var protection = SessionKeys.HelloProtection(key);
            new FrameWriter().WriteHello(output, hello.ToByteArray(), protection);
            samples.Add(output.WrittenSpan.ToArray());
        }

        var data = new ArrayBufferWriter<byte>();
        using (var session = new FrameProtection.Hmac(1, new byte[32]))
        {
            new FrameWriter { Session = session }.Write(data, FrameType.Data, new byte[64]);
        }

        samples.Add(data.WrittenSpan.ToArray());
        return [.. samples];
    }

    /// <summary>Too big: the sample with a length prefix far above the 1 MiB limit.</summary>
    private static int Oversize(byte[] sample, byte[] into)
    {
        sample.CopyTo(into, 0);
        into[0] = 0x7F;
        return sample.Length;
    }
}
