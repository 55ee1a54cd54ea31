using ClusterD.Fencing.Witness;

namespace ClusterD.Fencing.Tests.Witness;

/// <summary>The witness decision as a pure function of time, side and lease answers, at its exact boundaries.</summary>
public sealed class WitnessArbitrationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WitnessOptions Options = new();
    private static readonly LeaseReply Granted = LeaseReply.Granted("201");

    [Fact]
    public void AttemptAt_FavouredSide_AsksAtOnce()
    {
        Assert.Equal(T0, new WitnessArbitration("node2", disfavoured: false, Options, T0).AttemptAt);
    }

    [Fact]
    public void AttemptAt_DisfavouredSide_AsksExactlyAfterTheHeadStart()
    {
        Assert.Equal(T0 + TimeSpan.FromMilliseconds(200), new WitnessArbitration("node1", disfavoured: true, Options, T0).AttemptAt);
        Assert.Equal(T0 + TimeSpan.FromMilliseconds(50), new WitnessArbitration("node1", true, Options with { HeadStart = TimeSpan.FromMilliseconds(50) }, T0).AttemptAt);
    }

    [Fact]
    public void Acquired_OneTickBeforeTheHeadStartEnds_IsRefused()
    {
        var arbitration = new WitnessArbitration("node1", disfavoured: true, Options, T0);

        Assert.Throws<InvalidOperationException>(() => arbitration.Acquired(Granted, arbitration.AttemptAt - TimeSpan.FromTicks(1), arbitration.AttemptAt));
        Assert.Equal(WitnessPhase.Waiting, arbitration.Phase);
    }

    [Fact]
    public void Acquired_Granted_FencesAndRenewsAThirdOfTheLeaseLater()
    {
        var arbitration = new WitnessArbitration("node2", false, Options, T0);

        var (verdict, decision) = arbitration.Acquired(Granted, T0, T0 + TimeSpan.FromMilliseconds(30));

        Assert.Equal(WitnessVerdict.Fence, verdict);
        Assert.Equal((WitnessDecisionKind.Acquired, "node2"), (decision.Kind, decision.Target));
        Assert.Equal(WitnessPhase.Holding, arbitration.Phase);
        Assert.Equal(T0 + TimeSpan.FromMilliseconds(30) + TimeSpan.FromSeconds(5), arbitration.RenewAt);
        Assert.Equal(T0 + TimeSpan.FromSeconds(15), arbitration.ExpiresAt); // counted from the request, not the answer
    }

    [Theory]
    [InlineData(LeaseResult.HeldByOther)]
    [InlineData(LeaseResult.NotHeld)]
    public void Acquired_HeldByTheOtherSide_NeverFences(LeaseResult result)
    {
        var arbitration = new WitnessArbitration("node1", true, Options, T0);

        var (verdict, decision) = arbitration.Acquired(new LeaseReply(result, "409 LeaseAlreadyPresent"), arbitration.AttemptAt, arbitration.AttemptAt);

        Assert.Equal(WitnessVerdict.DoNotFence, verdict);
        Assert.Equal(WitnessDecisionKind.Yielded, decision.Kind);
        Assert.Contains("409 LeaseAlreadyPresent", decision.Message, StringComparison.Ordinal);
        Assert.Equal(WitnessPhase.Yielded, arbitration.Phase);
        Assert.False(arbitration.ShouldRelease(fenced: true));
        Assert.Null(arbitration.RenewAt);
    }

    [Fact]
    public void Acquired_Unreachable_FallsBackToThePriorityDelay()
    {
        var arbitration = new WitnessArbitration("node2", false, Options, T0);

        var (verdict, decision) = arbitration.Acquired(LeaseReply.Unreachable("no answer within 3000 ms"), T0, T0 + TimeSpan.FromSeconds(3));

        Assert.Equal(WitnessVerdict.FallBack, verdict);
        Assert.Equal(WitnessDecisionKind.FellBack, decision.Kind);
        Assert.Equal(WitnessPhase.FellBack, arbitration.Phase);
    }

    [Fact]
    public void Acquired_Twice_IsRefused()
    {
        var arbitration = new WitnessArbitration("node2", false, Options, T0);
        arbitration.Acquired(Granted, T0, T0);

        Assert.Throws<InvalidOperationException>(() => arbitration.Acquired(Granted, T0, T0));
    }

    [Fact]
    public void Renewed_Granted_ExtendsTheLeaseFromTheRenewal()
    {
        var arbitration = Holding();
        var at = arbitration.RenewAt!.Value;

        var (keep, decision) = arbitration.Renewed(Granted, at, at + TimeSpan.FromMilliseconds(20));

        Assert.True(keep);
        Assert.Null(decision);
        Assert.Equal(at + TimeSpan.FromSeconds(15), arbitration.ExpiresAt);
        Assert.Equal(at + TimeSpan.FromMilliseconds(20) + TimeSpan.FromSeconds(5), arbitration.RenewAt);
    }

    [Fact]
    public void Renewed_UnreachableWhileTheLeaseRuns_GoesOnAndRetriesSoon()
    {
        var arbitration = Holding();
        var at = T0 + TimeSpan.FromSeconds(5);

        var (keep, decision) = arbitration.Renewed(LeaseReply.Unreachable("503"), at, at);

        Assert.True(keep);
        Assert.Equal(WitnessDecisionKind.RenewFailed, decision!.Kind);
        Assert.Equal(at + TimeSpan.FromSeconds(1), arbitration.RenewAt);
        Assert.Equal(T0 + TimeSpan.FromSeconds(15), arbitration.ExpiresAt);
    }

    [Fact]
    public void Renewed_UnreachableOneTickBeforeExpiry_GoesOnUntilExpiry()
    {
        var arbitration = Holding();
        var expires = arbitration.ExpiresAt!.Value;

        var (keep, _) = arbitration.Renewed(LeaseReply.Unreachable("503"), expires - TimeSpan.FromSeconds(1), expires - TimeSpan.FromTicks(1));

        Assert.True(keep);
        Assert.Equal(expires, arbitration.RenewAt);
    }

    [Fact]
    public void Renewed_UnreachableAtExpiry_StopsTheFence()
    {
        var arbitration = Holding();
        var expires = arbitration.ExpiresAt!.Value;

        var (keep, decision) = arbitration.Renewed(LeaseReply.Unreachable("timeout"), expires - TimeSpan.FromSeconds(3), expires);

        Assert.False(keep);
        Assert.Equal(WitnessDecisionKind.LeaseLost, decision!.Kind);
        Assert.Equal(WitnessPhase.Lost, arbitration.Phase);
        Assert.False(arbitration.ShouldRelease(fenced: true));
    }

    [Theory]
    [InlineData(LeaseResult.NotHeld)]
    [InlineData(LeaseResult.HeldByOther)]
    public void Renewed_TakenOver_StopsTheFence(LeaseResult result)
    {
        var arbitration = Holding();

        var (keep, decision) = arbitration.Renewed(new LeaseReply(result, "409 LeaseIdMismatchWithLeaseOperation"), T0 + TimeSpan.FromSeconds(5), T0 + TimeSpan.FromSeconds(5));

        Assert.False(keep);
        Assert.Equal(WitnessDecisionKind.LeaseLost, decision!.Kind);
        Assert.Null(arbitration.RenewAt);
    }

    [Fact]
    public void ShouldRelease_OnlyAfterTheTargetIsConfirmedOff()
    {
        var arbitration = Holding();

        Assert.False(arbitration.ShouldRelease(fenced: false));
        Assert.True(arbitration.ShouldRelease(fenced: true));
        Assert.Equal(WitnessDecisionKind.Released, arbitration.Released(Granted, T0 + TimeSpan.FromSeconds(2)).Kind);
        Assert.Equal(WitnessPhase.Released, arbitration.Phase);
        Assert.False(arbitration.ShouldRelease(fenced: true));
    }

    [Fact]
    public void Released_Refused_SaysTheLeaseRunsOut()
    {
        var arbitration = Holding();

        var decision = arbitration.Released(LeaseReply.Unreachable("503"), T0 + TimeSpan.FromSeconds(2));

        Assert.Equal(WitnessDecisionKind.ReleaseFailed, decision.Kind);
        Assert.Null(arbitration.RenewAt);
    }

    private static WitnessArbitration Holding()
    {
        var arbitration = new WitnessArbitration("node2", false, Options, T0);
        arbitration.Acquired(Granted, T0, T0);
        return arbitration;
    }
}
