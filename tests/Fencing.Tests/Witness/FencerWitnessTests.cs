using System.Collections.Concurrent;
using ClusterD.AzureArmStub;
using ClusterD.Fencing.Tests.TestSupport;
using ClusterD.Fencing.Witness;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Fencing.Tests.Witness;

/// <summary>
/// The fencer with a cloud witness: its own waits on a fake clock (head start, priority delay, renewals), the
/// lease over real HTTPS against <see cref="ArmStub"/>'s Blob service.
/// </summary>
public sealed class FencerWitnessTests : IAsyncLifetime
{
    private const string Drbd = "primitive drbd ocf:linbit:drbd params drbd_resource=r0\nms ms_drbd drbd\n";
    private const string Device = "primitive st stonith:fence_scripted params pcmk_host_list=\"node1 node2\"\n";
    private static readonly Guid PeerLease = Guid.Parse("99999999-0000-0000-0000-000000000009");
    private static readonly ClusterConfig Config = CrmParser.Parse("node node1\nnode node2\n" + Drbd + Device).GetConfigOrThrow();

    private readonly TempDirectory _dir = new("clusterd-witness-");
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<WitnessDecision> _decisions = new();
    private ArmStub _stub = null!;
    private AzureBlobWitness _witness = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.Path, Ct);
        _witness = WitnessStub.Client(_stub, Guid.Parse("11111111-0000-0000-0000-000000000001"));
    }

    public async ValueTask DisposeAsync()
    {
        _witness.Dispose();
        await _stub.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>This node (<paramref name="local"/>) lost the other; <paramref name="promotedOn"/> held the promoted instance.</summary>
    private static ClusterStatus Lost(string local, string promotedOn)
    {
        var other = local == "node1" ? "node2" : "node1";
        return new ClusterStatus
        {
            Quorate = true,
            Nodes = [new NodeStatus(local, Online: true), new NodeStatus(other, Unclean: true)],
            Resources = [new ResourceStatus("drbd", "ocf:linbit:drbd", [new ResourceInstance(promotedOn, InstanceRole.Promoted),
                new ResourceInstance(promotedOn == "node1" ? "node2" : "node1", InstanceRole.Unpromoted)])],
        };
    }

    private Fencer Fencer(IFenceAgent agent)
    {
        var fencer = new Fencer(_ => agent, _time, new FencerOptions { Witness = _witness, MaxRounds = 1 });
        fencer.WitnessDecided += _decisions.Enqueue;
        return fencer;
    }

    [Fact]
    public async Task FenceAsync_ActiveNodeCrashed_FencesAfterTheHeadStartNotTheDelayAndReleases()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);
        var fencer = Fencer(agent);
        using var watch = new HistoryWatch(fencer.History);
        var t0 = _time.GetUtcNow();

        var fencing = fencer.FenceAsync(new FenceTarget("node1", "peer lost", "node2"), Config, Lost("node2", promotedOn: "node1"), Ct);
        var waiting = await watch.NextWaitAsync();
        _time.Advance(TimeSpan.FromMilliseconds(200) - TimeSpan.FromTicks(1));
        Assert.Empty(_stub.BlobCalls);
        _time.Advance(TimeSpan.FromTicks(1));
        var outcome = await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(t0 + TimeSpan.FromMilliseconds(200), waiting.WaitingUntil);
        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal(WitnessVerdict.Fence, outcome.Witness);
        Assert.Equal(t0 + TimeSpan.FromMilliseconds(200), Assert.Single(agent.Calls).At);
        Assert.Equal(["leaseAcquire", "createBlob", "leaseAcquire", "leaseRelease"], _stub.BlobCalls.Select(c => c.Operation));
        Assert.Null(_stub.LeaseHolder(WitnessStub.BlobPath));
        Assert.Equal([WitnessDecisionKind.Acquired, WitnessDecisionKind.Released], _decisions.Select(d => d.Kind));
    }

    [Fact]
    public async Task FenceAsync_ActiveSideOfAPartition_AsksAtOnce()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);
        var t0 = _time.GetUtcNow();

        var outcome = await Fencer(agent).FenceAsync(new FenceTarget("node2", "peer lost", "node1"), Config, Lost("node1", promotedOn: "node1"), Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal(t0, Assert.Single(agent.Calls).At);
    }

    [Fact]
    public async Task FenceAsync_PeerHoldsTheLease_NeverFences()
    {
        _stub.HoldLease(WitnessStub.BlobPath, PeerLease, TimeSpan.FromSeconds(15));
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);

        var outcome = await Fencer(agent).FenceAsync(new FenceTarget("node2", "peer lost", "node1"), Config, Lost("node1", promotedOn: "node1"), Ct);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Yielded);
        Assert.Empty(agent.Calls);
        Assert.Equal("not fenced: the other side holds the witness lease", outcome.Entry.Detail);
        Assert.Equal(WitnessDecisionKind.Yielded, Assert.Single(_decisions).Kind);
        Assert.Equal(["leaseAcquire 409"], _stub.BlobCalls.Select(c => $"{c.Operation} {c.Status}"));
        Assert.Equal(PeerLease, _stub.LeaseHolder(WitnessStub.BlobPath));
    }

    [Fact]
    public async Task FenceAsync_WitnessUnreachable_FallsBackToThePriorityDelayExactly()
    {
        _stub.Fail("leaseAcquire", 503);
        _stub.Fail("createBlob", 503);
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);
        var fencer = Fencer(agent);
        using var watch = new HistoryWatch(fencer.History);
        var t0 = _time.GetUtcNow();

        var fencing = fencer.FenceAsync(new FenceTarget("node1", "peer lost", "node2"), Config, Lost("node2", promotedOn: "node1"), Ct);
        await watch.NextWaitAsync();
        _time.Advance(TimeSpan.FromMilliseconds(200));
        var delay = await watch.NextAsync(e => e.WaitingUntil is not null && e.WaitingUntil > t0 + TimeSpan.FromMilliseconds(200));
        _time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromTicks(1));
        Assert.Empty(agent.Calls);
        _time.Advance(TimeSpan.FromTicks(1));
        var outcome = await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(t0 + TimeSpan.FromMilliseconds(200) + TimeSpan.FromSeconds(15), delay.WaitingUntil);
        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal(t0 + TimeSpan.FromMilliseconds(200) + TimeSpan.FromSeconds(15), Assert.Single(agent.Calls).At);
        Assert.Equal(WitnessDecisionKind.FellBack, Assert.Single(_decisions).Kind);
        Assert.DoesNotContain(_stub.BlobCalls, c => c.Operation == "leaseRelease");
    }

    [Fact]
    public async Task FenceAsync_NoRace_NeverAsksTheWitness()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok);

        var outcome = await Fencer(agent).FenceAsync(new FenceTarget("node2", "clusterctl fence node2", "node1"), Config, ClusterStatus.AllOnline(["node1", "node2"]), Ct);

        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Witness);
        Assert.Empty(_stub.BlobCalls);
    }

    [Fact]
    public async Task FenceAsync_LeaseTakenOverWhileFencing_StopsTheFence()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok) { Block = true };
        var fencer = Fencer(agent);
        var called = agent.NextCallAsync();

        var fencing = fencer.FenceAsync(new FenceTarget("node2", "peer lost", "node1"), Config, Lost("node1", promotedOn: "node1"), Ct);
        var call = await called.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        _stub.HoldLease(WitnessStub.BlobPath, PeerLease, TimeSpan.FromSeconds(15)); // the peer took it over
        _time.Advance(TimeSpan.FromSeconds(5));
        var outcome = await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(call.Token.IsCancellationRequested);
        Assert.False(outcome.Succeeded);
        Assert.StartsWith("stopped: the witness lease was lost", outcome.Entry.Detail, StringComparison.Ordinal);
        Assert.Equal([WitnessDecisionKind.Acquired, WitnessDecisionKind.LeaseLost], _decisions.Select(d => d.Kind));
        Assert.Equal("leaseRenew 409", _stub.BlobCalls.Select(c => $"{c.Operation} {c.Status}").Last());
    }

    [Fact]
    public async Task FenceAsync_LongFence_RenewsEveryThirdOfTheLease()
    {
        var agent = new ScriptedAgent(_time, _ => ScriptedAgent.Ok) { Block = true };
        var fencer = Fencer(agent);
        var called = agent.NextCallAsync();

        var fencing = fencer.FenceAsync(new FenceTarget("node2", "peer lost", "node1"), Config, Lost("node1", promotedOn: "node1"), Ct);
        await called.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        // The renewal loop arms its next timer only after the last renewal's answer: the clock moves until each is seen
        // (the exact renewal instants are WitnessArbitration's, tested there).
        for (var i = 1; i <= 3; i++)
        {
            await AdvanceUntilAsync(() => _stub.BlobCalls.Count(c => c.Operation == "leaseRenew") >= i);
        }

        agent.Release();
        var outcome = await fencing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.All(_stub.BlobCalls.Where(c => c.Operation == "leaseRenew"), c => Assert.Equal(200, c.Status));
        Assert.Equal("leaseRelease", _stub.BlobCalls[^1].Operation);
        Assert.Null(_stub.LeaseHolder(WitnessStub.BlobPath));
    }

    /// <summary>Moves the fake clock a second at a time until <paramref name="condition"/> holds, with a deadline.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, deadline.Token);
        }
    }
}
