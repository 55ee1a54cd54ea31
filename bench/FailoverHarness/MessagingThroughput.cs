using ClusterD.Admin.V1;
using ClusterD.Messaging.Security;
using ClusterD.TestKit.Processes;

namespace ClusterD.FailoverHarness;

/// <summary>Node-to-node messaging between two real daemons over loopback, through the BenchMessaging diagnostic.</summary>
internal static class MessagingThroughput
{
    public static async Task<int> RunAsync(uint count, MessagingCipher cipher, string? binary)
    {
        var ct = CancellationToken.None;
        await using var cluster = LoopbackCluster.Create(2, 1000, binary: binary, extraTotem: $"crypto_cipher: {cipher.Name()}");
        Console.WriteLine($"crypto_cipher: {cipher.Name()}, {binary ?? "JIT build"}");
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], ct);
        await cluster[0].WaitForAsync(s => s.Nodes[1].Messaging?.Connected == true, TimeSpan.FromSeconds(20), ct);
        foreach (var size in new uint[] { 64, 1024 })
        {
            var reply = await cluster[0].Client.BenchMessagingAsync(
                new BenchMessagingRequest { Node = "node2", Count = count, PayloadBytes = size, Mode = BenchMessagingRequest.Types.Mode.Stream },
                cancellationToken: ct);
            Console.WriteLine($"stream {size,5} B: {reply.Sent} sent, {reply.Received} received in order ({reply.OutOfOrder} gaps, {reply.Duplicates} duplicates), " +
                $"{reply.MessagesPerSecond:N0} messages/s, {reply.MessagesPerSecond * size / 1e6:F1} MB/s payload {reply.Error}");
        }

        var rtt = await cluster[0].Client.BenchMessagingAsync(
            new BenchMessagingRequest { Node = "node2", Count = 20_000, PayloadBytes = 64, Mode = BenchMessagingRequest.Types.Mode.RoundTrip },
            cancellationToken: ct);
        Console.WriteLine($"round trip 64 B x {rtt.Received}: p50 {rtt.RttP50Us:F0} us, p99 {rtt.RttP99Us:F0} us {rtt.Error}");
        return 0;
    }
}
