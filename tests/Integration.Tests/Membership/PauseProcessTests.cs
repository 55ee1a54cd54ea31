using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Membership;

/// <summary>A real clusterd stopped with SIGSTOP past the token and continued (docs/membership.md, "Pauses of the node itself").</summary>
[Collection(nameof(RealProcesses))]
public sealed class PauseProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoNodes_StoppedPastTokenThenContinued_NeverReportsALoneViewAndTrustsTheRejoinedView()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        var formed = await cluster.WaitForViewAsync([0, 1], Ct);
        var frozen = cluster[1];

        frozen.Signal(Signals.SigStop);
        // node1 drops node2 only after a full token of silence: node2 has been stopped past the token.
        await cluster[0].WaitForAsync(s => s.Nodes.Count(n => n.Online) == 1, cluster.Token * 5, Ct);
        frozen.Signal(Signals.SigCont);

        Assert.True(await frozen.WaitForOutputAsync("trusted again", cluster.Token * 5, Ct), frozen.Output);
        var rejoined = await cluster.WaitForViewAsync([0, 1], Ct);
        var output = frozen.Output;
        var resumed = output.IndexOf("did not run for", StringComparison.Ordinal);
        Assert.True(resumed >= 0, output);
        var afterResume = output[resumed..];
        Assert.DoesNotContain("with members [node2]", afterResume, StringComparison.Ordinal);
        Assert.DoesNotContain("DC is now node2", afterResume, StringComparison.Ordinal);
        Assert.DoesNotContain("node1 lost", afterResume, StringComparison.Ordinal);
        Assert.NotEqual(formed, rejoined);
        Assert.Equal("node1", (await frozen.StatusAsync(Ct)).Dc);
    }
}
