using ClusterD.Membership;
using ClusterD.TestKit;
using ClusterD.TestKit.Simulation;

namespace ClusterD.Simulation.Tests.Membership;

/// <summary>
/// A node frozen (SIGSTOP) and thawed: it never acts on the view it held before the freeze, never
/// installs a lone view on the way back, and distrusts its view from the thaw until it agrees with
/// its peers again (docs/membership.md, "Pauses of the node itself").
/// </summary>
public sealed class NodePauseTests
{
    private static readonly TimeSpan Token = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Theory]
    [InlineData(2, 1, false, 201)] // the higher id frozen: the case seen with real daemons ("DC is now hadb02")
    [InlineData(2, 1, true, 202)]
    [InlineData(2, 0, false, 203)] // the DC frozen
    [InlineData(2, 0, true, 204)]
    [InlineData(3, 2, false, 205)]
    [InlineData(3, 0, true, 206)]
    public void FrozenPastToken_Thawed_NeverInstallsALoneViewAndDistrustsUntilAgreed(int nodes, int frozen, bool timerFirst, int seed)
    {
        var cluster = Formed(nodes, seed);
        var all = Enumerable.Range(0, nodes).ToArray();
        var others = all.Where(i => i != frozen).ToArray();
        cluster[frozen].Freeze();
        cluster.RunFor(TimeSpan.FromMilliseconds(2500));
        Assert.True(cluster.Agree(others), $"seed {seed}: the others did not replace the frozen node");
        var replacedRing = cluster[others[0]].Core!.View.Ring;

        var thaw = cluster.Now;
        cluster[frozen].Thaw(timerFirst);
        Assert.True(cluster.RunUntil(() => cluster.Agree(all), Token), $"seed {seed}: no agreement after the thaw");
        cluster.RunFor(Token * 3);

        var after = cluster.History.Where(h => h.Node == frozen && h.Change.At >= thaw).Select(h => h.Change).ToArray();
        var rejoined = Assert.Single(after);
        Assert.Equal(all.Length, rejoined.Current.Members.Length);
        Assert.True(rejoined.Current.Ring.Seq > replacedRing.Seq);
        Assert.Empty(rejoined.Lost);

        var trust = cluster.TrustHistory.Where(t => t.Node == frozen).Select(t => t.Change).ToArray();
        Assert.Equal([false, true], trust.Select(t => t.Trusted));
        Assert.Equal(thaw, trust[0].At);
        Assert.Equal(rejoined.At, trust[1].At);
        Assert.True(trust[1].Settling.Replaced);
        Assert.DoesNotContain(cluster.TrustHistory, t => t.Node != frozen);
        Assert.True(cluster[frozen].Core!.ViewTrusted);
        Assert.Equal(new NodeId(1), cluster[frozen].Core!.Dc);
        Assert.Empty(cluster.InvariantViolations());
    }

    [Theory]
    [InlineData(600, true, 211)] // over the pause bound (token / 2), under the token minus one interval
    [InlineData(600, true, 212)]
    [InlineData(250, false, 213)] // with the idle time before it (up to one interval) still under the pause bound: not noticed
    public void FrozenUnderToken_Thawed_NoViewChangeAnywhere(int freezeMs, bool noticed, int seed)
    {
        var cluster = Formed(2, seed);
        var formed = cluster.History.Count;
        cluster[1].Freeze();
        cluster.RunFor(TimeSpan.FromMilliseconds(freezeMs));

        var thaw = cluster.Now;
        cluster[1].Thaw();
        cluster.RunFor(Token * 3);

        Assert.Equal(formed, cluster.History.Count);
        var trust = cluster.TrustHistory.Select(t => t.Change).ToArray();
        if (noticed)
        {
            Assert.Equal([false, true], trust.Select(t => t.Trusted));
            Assert.Equal(thaw, trust[0].At);
            Assert.False(trust[1].Settling.Replaced);
            Assert.True(trust[1].At - thaw < TimeSpan.FromMilliseconds(5), $"trusted again {trust[1].At - thaw} after the thaw");
        }
        else
        {
            Assert.Empty(trust);
        }
    }

    [Theory]
    [InlineData(221)]
    [InlineData(222)]
    public void PeerCrashesWhileFrozen_Thawed_LostOneTokenAfterTheResumeAndTrusted(int seed)
    {
        var cluster = Formed(2, seed);
        cluster[1].Freeze();
        cluster.RunFor(TimeSpan.FromMilliseconds(300));
        cluster[0].Crash();
        cluster.RunFor(TimeSpan.FromMilliseconds(2200));

        var thaw = cluster.Now;
        cluster[1].Thaw();
        Assert.True(cluster.RunUntil(() => cluster.Agree(1), Token * 2), $"seed {seed}: the lost peer was not detected");

        // The frozen node's detector restarted at the thaw: lost one tick after a full token, found at the next step (at most 1 ms).
        var alone = Assert.Single(cluster.History, h => h.Node == 1 && h.Change.At >= thaw).Change;
        Assert.InRange(alone.At, thaw + Token + Tick, thaw + Token + Ms);
        Assert.Equal([new NodeId(1)], alone.Lost);
        Assert.Equal(new NodeId(2), alone.Dc);
        Assert.Equal([false, true], cluster.TrustHistory.Select(t => t.Change.Trusted));
        Assert.Equal(alone.At, cluster.TrustHistory[1].Change.At);
    }

    [Theory]
    [InlineData(231)]
    [InlineData(232)]
    public void PeerCrashesAfterThaw_LostOneTokenAfterItsLastHeartbeat(int seed)
    {
        var cluster = Formed(2, seed);
        cluster[1].Freeze();
        cluster.RunFor(TimeSpan.FromMilliseconds(2500));
        cluster[1].Thaw();
        Assert.True(cluster.RunUntil(() => cluster.Agree(0, 1) && cluster[1].Core!.ViewTrusted, Token));
        var heard = cluster[1].Core!.Snapshot(cluster.Now).Nodes[0].Links[0].LastSeenAgo!.Value;
        var lastHeard = cluster.Now - heard;

        cluster[0].Crash();

        Assert.True(cluster.RunUntil(() => cluster.Agree(1), Token * 2));
        var alone = cluster.History.Last(h => h.Node == 1).Change;
        Assert.InRange(alone.At, lastHeard + Token, lastHeard + Token + (2 * Ms)); // a heartbeat may still have been in flight
        Assert.Equal([new NodeId(1)], alone.Lost);
    }

    private static SimCluster Formed(int nodes, int seed)
    {
        var cluster = new SimCluster(TestConfigs.ForNodes(nodes), seed);
        cluster.StartAll();
        Assert.True(cluster.RunUntil(() => cluster.Agree(Enumerable.Range(0, nodes).ToArray()), TimeSpan.FromSeconds(5)),
            $"seed {seed}: cluster did not form");
        cluster.RunFor(Token); // settled: every node has heard every other for a while
        return cluster;
    }
}
