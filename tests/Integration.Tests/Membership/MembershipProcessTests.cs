using ClusterD.Admin.V1;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Membership;

/// <summary>Real clusterd processes on loopback UDP, observed through the real Unix-socket gRPC API.</summary>
[Collection(nameof(RealProcesses))]
public sealed class MembershipProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Cluster_AllStarted_FormOneQuorateViewWithLowestIdAsDc(int nodes)
    {
        await using var cluster = LoopbackCluster.Create(nodes);
        cluster.StartAll();

        await cluster.WaitForViewAsync(Enumerable.Range(0, nodes).ToArray(), Ct);

        for (var i = 0; i < nodes; i++)
        {
            var status = await cluster[i].StatusAsync(Ct);
            Assert.True(status.Quorate);
            Assert.Equal("node1", status.Dc);
            Assert.Equal(cluster.Names[i], status.LocalNode);
            Assert.All(status.Nodes.Where(n => !n.Local), n => Assert.True(n.Links[0].Up && n.Links[0].Received > 0));
        }
    }

    [Fact]
    public async Task TwoNodes_PeerKilled_SurvivorShowsItOfflineUncleanAndStaysQuorate()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        var formed = await cluster.WaitForViewAsync([0, 1], Ct);

        cluster[1].Signal(Signals.SigKill);

        var status = await cluster[0].WaitForAsync(s => !s.Nodes.Single(n => n.Name == "node2").Online, cluster.Token * 5, Ct);
        var peer = status.Nodes.Single(n => n.Name == "node2");
        Assert.True(peer.Unclean);
        Assert.Equal("lost", peer.State);
        Assert.True(status.Quorate, "two_node: a survivor of two stays quorate");
        Assert.True(status.RingSeq > ulong.Parse(formed.Split('.')[1], System.Globalization.NumberStyles.HexNumber));
    }

    [Fact]
    public async Task ThreeNodes_OneKilled_OthersAgreeWithoutItAndStayQuorate()
    {
        await using var cluster = LoopbackCluster.Create(3);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1, 2], Ct);

        cluster[0].Signal(Signals.SigKill);

        await cluster.WaitForViewAsync([1, 2], Ct, cluster.Token * 6);
        var status = await cluster[1].StatusAsync(Ct);
        Assert.True(status.Quorate);
        Assert.Equal("node2", status.Dc);
    }

    [Fact]
    public async Task TwoNodes_PeerStoppedLongerThanToken_RejoinsWithNewRingId()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        var formed = await cluster.WaitForViewAsync([0, 1], Ct);

        cluster[1].Signal(Signals.SigStop);
        var alone = await cluster[0].WaitForAsync(s => s.Nodes.Count(n => n.Online) == 1, cluster.Token * 5, Ct);
        cluster[1].Signal(Signals.SigCont);

        var rejoined = await cluster.WaitForViewAsync([0, 1], Ct);
        Assert.NotEqual(formed, rejoined);
        Assert.NotEqual(alone.RingId, rejoined);
        Assert.True((await cluster[0].StatusAsync(Ct)).RingSeq > alone.RingSeq);
    }

    [Fact]
    public async Task TwoNodes_LoneFreshNode_IsNotQuorateAndHasNoDc()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.Start(0);

        var status = await cluster[0].WaitForAsync(s => s.RingSeq > 0, TimeSpan.FromSeconds(20), Ct);
        await Task.Delay(cluster.Token * 2, Ct);
        status = await cluster[0].StatusAsync(Ct);

        Assert.False(status.Quorate);
        Assert.Equal("", status.Dc);
        Assert.False(status.Quorum.WaitForAllSatisfied);
        Assert.Equal("unknown", status.Nodes.Single(n => n.Name == "node2").State);
    }

    [Fact]
    public async Task TwoNodes_PeerWithAnotherKey_NeverJoinsAndIsCountedAsBadMac()
    {
        await using var cluster = LoopbackCluster.Create(2);
        var otherKey = Path.Combine(cluster.Root, "other-key");
        ClusterD.Messaging.Security.AuthKeyFile.Generate(otherKey, 1);
        cluster.RewriteConfig(1, otherKey);
        cluster.StartAll();

        await Task.Delay(cluster.Token * 3, Ct);
        var status = await cluster[0].WaitForAsync(s => s.Datagrams.DroppedByReason.ContainsKey("bad_mac"), TimeSpan.FromSeconds(10), Ct);

        Assert.Single(status.Nodes, n => n.Online);
        Assert.False(status.Quorate);
        Assert.True(status.Datagrams.DroppedByReason["bad_mac"] > 0);
    }

    [Fact]
    public async Task TwoNodes_PeerStoppedWithSigterm_SurvivorSeesLeftNotLost()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);

        cluster[1].Signal(Signals.SigTerm);
        Assert.Equal(0, await cluster[1].WaitForExitAsync(TimeSpan.FromSeconds(15)));

        var status = await cluster[0].WaitForAsync(s => !s.Nodes.Single(n => n.Name == "node2").Online, cluster.Token, Ct);
        var peer = status.Nodes.Single(n => n.Name == "node2");
        Assert.Equal("left", peer.State);
        Assert.False(peer.Unclean);
        Assert.False(File.Exists(cluster[1].Socket), "a clean stop removes the admin socket");
    }

    [Fact]
    public async Task WatchEvents_PeerKilled_StreamsMembershipEventWithLostNode()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        using var watch = cluster[0].Client.WatchEvents(new WatchEventsRequest(), cancellationToken: Ct);
        await watch.ResponseHeadersAsync; // sent once the watcher is subscribed: it sees every event from here

        cluster[1].Signal(Signals.SigKill);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(cluster.Token * 5);
        ClusterEvent? loss = null;
        while (loss is null && await watch.ResponseStream.MoveNext(timeout.Token))
        {
            var e = watch.ResponseStream.Current;
            if (e.Kind == EventKind.Membership && e.Lost.Contains("node2"))
            {
                loss = e;
            }
        }

        Assert.NotNull(loss);
        Assert.Equal(["node1"], loss.Members);
        Assert.True(loss.Quorate);
        Assert.True(loss.Time.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task AdminSocket_Serving_HasMode0666AndCallsAreAuthorisedByCredentials()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.Start(0);
        await cluster[0].WaitForAsync(_ => true, TimeSpan.FromSeconds(20), Ct);

        // Anyone may connect; each call is then authorised by the caller's credentials (AdminSocketAccessTests).
        var mode = File.GetUnixFileMode(cluster[0].Socket);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite,
            mode);
    }

    [Fact]
    public async Task KeyRotation_ThreeStepsWithSighup_ViewNeverChanges()
    {
        await using var cluster = LoopbackCluster.Create(2);
        var newKey = Path.Combine(cluster.Root, "authkey-2");
        ClusterD.Messaging.Security.AuthKeyFile.Generate(newKey, 2);
        for (var i = 0; i < 2; i++)
        {
            cluster.RewriteConfig(i, cluster.KeyPath, newKey); // step 1: accept the new key everywhere
        }

        cluster.StartAll();
        var ring = await cluster.WaitForViewAsync([0, 1], Ct);

        foreach (var (authKey, accept) in new[] { (newKey, cluster.KeyPath), (newKey, (string?)null) })
        {
            for (var i = 0; i < 2; i++)
            {
                // step 2: send with the new key (still accepting the old); step 3: drop the old key
                if (accept is null)
                {
                    cluster.RewriteConfig(i, authKey);
                }
                else
                {
                    cluster.RewriteConfig(i, authKey, accept);
                }

                cluster[i].Signal(Signals.SigHup);
                await Task.Delay(cluster.Token, Ct);
            }
        }

        await Task.Delay(cluster.Token * 2, Ct);
        for (var i = 0; i < 2; i++)
        {
            var status = await cluster[i].StatusAsync(Ct);
            Assert.Equal(ring, status.RingId);
            Assert.Contains("keys reloaded", cluster[i].Output, StringComparison.OrdinalIgnoreCase);
        }
    }
}

[CollectionDefinition(nameof(RealProcesses), DisableParallelization = true)]
public sealed class RealProcesses;
