using ClusterD.Admin.V1;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Messaging;

/// <summary>Node-to-node messaging between real clusterd processes, driven through the BenchMessaging diagnostic.</summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class MessagingProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoDaemons_MillionMessagesEachWay_NoLossNoReorderNoDuplicate()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        await WaitForMessagingAsync(cluster, 0, "node2");

        var forward = Stream(cluster, 0, "node2", 1_000_000);
        var backward = Stream(cluster, 1, "node1", 1_000_000);
        var replies = await Task.WhenAll(forward, backward);

        Assert.All(replies, r => AssertComplete(r, 1_000_000));
    }

    [Fact]
    public async Task ThreeDaemons_RingOfStreams_EveryLinkCompleteAndInOrder()
    {
        await using var cluster = LoopbackCluster.Create(3);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1, 2], Ct);
        await WaitForMessagingAsync(cluster, 0, "node2", "node3");
        await WaitForMessagingAsync(cluster, 1, "node3");

        var replies = await Task.WhenAll(Stream(cluster, 0, "node2", 1_000_000), Stream(cluster, 1, "node3", 1_000_000), Stream(cluster, 2, "node1", 1_000_000));

        Assert.All(replies, r => AssertComplete(r, 1_000_000));
    }

    [Fact]
    public async Task PeerKilledDuringStream_SenderGetsClearErrorThenNewSessionCarriesTraffic()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        await WaitForMessagingAsync(cluster, 0, "node2");

        var running = Stream(cluster, 0, "node2", 10_000_000); // the most BenchMessaging streams; far longer than the second before the kill
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        cluster[1].Signal(Signals.SigKill);
        var cut = await running.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.NotEqual("", cut.Error);
        Assert.Contains("node 2", cut.Error, StringComparison.Ordinal);
        Assert.True(cut.Sent is > 0 and < 10_000_000);

        cluster.Start(1);
        await cluster.WaitForViewAsync([0, 1], Ct);
        await WaitForMessagingAsync(cluster, 0, "node2");
        var after = await Stream(cluster, 0, "node2", 100_000);
        AssertComplete(after, 100_000);
        var status = await cluster[0].StatusAsync(Ct);
        Assert.True(status.Nodes[1].Messaging.Reconnects >= 1);
    }

    [Fact]
    public async Task RoundTrip_LightLoad_ReportsPercentiles()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        await WaitForMessagingAsync(cluster, 0, "node2");

        var reply = await cluster[0].Client.BenchMessagingAsync(
            new BenchMessagingRequest { Node = "node2", Count = 5_000, PayloadBytes = 64, Mode = BenchMessagingRequest.Types.Mode.RoundTrip },
            cancellationToken: Ct);

        Assert.Equal("", reply.Error);
        Assert.Equal(5_000UL, reply.Received);
        Assert.True(reply.RttP50Us > 0 && reply.RttP99Us >= reply.RttP50Us);
    }

    [Fact]
    public async Task PeerStopped_SenderQueueStaysBoundedAndMemoryFlat()
    {
        await using var cluster = LoopbackCluster.Create(2, tokenMs: 20_000); // membership must not drop the stopped peer during the test
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        await WaitForMessagingAsync(cluster, 0, "node2");
        var rssBefore = ProcStatus.ResidentBytes(cluster[0].Pid);

        cluster[1].Signal(Signals.SigStop);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = cluster[0].Client.BenchMessagingAsync(
            new BenchMessagingRequest { Node = "node2", Count = 10_000_000, PayloadBytes = 1024, Mode = BenchMessagingRequest.Types.Mode.Stream },
            cancellationToken: stop.Token).ResponseAsync;
        var maxQueue = 0;
        long maxRss = 0;
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(100, Ct);
            var status = await cluster[0].StatusAsync(Ct);
            maxQueue = Math.Max(maxQueue, status.Nodes[1].Messaging.QueueDepth);
            maxRss = Math.Max(maxRss, ProcStatus.ResidentBytes(cluster[0].Pid));
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => running);
        cluster[1].Signal(Signals.SigCont);

        Assert.True(maxQueue > 0, "the sender never queued anything");
        Assert.True(maxQueue <= ClusterD.Messaging.Peers.PeerConnection.QueueCapacity, $"queue depth {maxQueue}");
        Assert.True(maxRss - rssBefore < 150L << 20, $"sender RSS grew by {(maxRss - rssBefore) >> 20} MB");
    }

    private static Task<BenchMessagingReply> Stream(LoopbackCluster cluster, int from, string to, uint count) =>
        cluster[from].Client.BenchMessagingAsync(
            new BenchMessagingRequest { Node = to, Count = count, PayloadBytes = 64, Mode = BenchMessagingRequest.Types.Mode.Stream },
            deadline: DateTime.UtcNow.AddMinutes(5), cancellationToken: Ct).ResponseAsync;

    private static void AssertComplete(BenchMessagingReply reply, ulong count)
    {
        Assert.Equal("", reply.Error);
        Assert.Equal(count, reply.Sent);
        Assert.Equal(count, reply.Received);
        Assert.Equal(0UL, reply.OutOfOrder);
        Assert.Equal(0UL, reply.Duplicates);
    }

    private static async Task WaitForMessagingAsync(LoopbackCluster cluster, int from, params string[] peers) =>
        await cluster[from].WaitForAsync(s => peers.All(p => s.Nodes.Single(n => n.Name == p).Messaging?.Connected == true), TimeSpan.FromSeconds(20), Ct);
}
