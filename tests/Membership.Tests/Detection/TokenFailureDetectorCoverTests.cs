using ClusterD.Membership.Detection;

namespace ClusterD.Membership.Tests.Detection;

/// <summary>An announced freeze of a peer: alive without heartbeats to the cover's end, to the tick, and not one tick more.</summary>
public sealed class TokenFailureDetectorCoverTests
{
    private static readonly TimeSpan Token = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);

    [Fact]
    public void Cover_FrozenPeer_AliveUntilTheCoverEndsThenLost()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        detector.Observe(1, 0, T0);
        detector.Cover(1, T0 + TimeSpan.FromMilliseconds(500), T0 + TimeSpan.FromSeconds(30));

        Assert.True(detector.IsAlive(1, T0 + Token + Tick));
        Assert.True(detector.IsAlive(1, T0 + TimeSpan.FromSeconds(30)));
        Assert.False(detector.IsAlive(1, T0 + TimeSpan.FromSeconds(30) + Tick));
        Assert.Equal(T0 + TimeSpan.FromSeconds(30) + Tick, detector.NextExpiry(T0 + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Cover_PeerAlreadyLostWhenItStarts_StaysLost()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        detector.Observe(1, 0, T0);
        detector.Cover(1, T0 + Token + Tick, T0 + TimeSpan.FromSeconds(30));

        Assert.False(detector.IsAlive(1, T0 + Token + Tick));
        Assert.False(detector.IsAlive(1, T0 + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Cover_StartingExactlyAtTheDeadline_StillCovers()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        detector.Observe(1, 0, T0);
        detector.Cover(1, T0 + Token, T0 + TimeSpan.FromSeconds(5));

        Assert.True(detector.IsAlive(1, T0 + TimeSpan.FromSeconds(5)));
        Assert.False(detector.IsAlive(1, T0 + TimeSpan.FromSeconds(5) + Tick));
    }

    [Fact]
    public void Cover_EndingBeforeToken_ChangesNothing()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        detector.Observe(1, 0, T0);
        detector.Cover(1, T0, T0 + TimeSpan.FromMilliseconds(400));

        Assert.True(detector.IsAlive(1, T0 + Token));
        Assert.False(detector.IsAlive(1, T0 + Token + Tick));
    }

    [Fact]
    public void ClearCovers_BackToToken()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        detector.Observe(1, 0, T0);
        detector.Cover(1, T0, T0 + TimeSpan.FromSeconds(30));

        detector.ClearCovers();

        Assert.False(detector.IsAlive(1, T0 + Token + Tick));
    }

    [Fact]
    public void Cover_OtherPeer_IsNotCovered()
    {
        var detector = new TokenFailureDetector(3, 1, Token);
        detector.Observe(1, 0, T0);
        detector.Observe(2, 0, T0);
        detector.Cover(1, T0, T0 + TimeSpan.FromSeconds(30));

        Assert.False(detector.IsAlive(2, T0 + Token + Tick));
        Assert.True(detector.IsAlive(1, T0 + Token + Tick));
    }
}
