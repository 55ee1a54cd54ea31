using ClusterD.Membership.Detection;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Membership.Tests.Detection;

/// <summary>
/// The detector takes "now" as the elapsed time since the node started; here a
/// <see cref="FakeTimeProvider"/> is the only source of that time.
/// </summary>
public sealed class TokenFailureDetectorTests
{
    private static readonly TimeSpan Token = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _time = new();
    private readonly long _origin;

    public TokenFailureDetectorTests() => _origin = _time.GetTimestamp();

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    [Fact]
    public void IsAlive_NeverHeard_False()
    {
        var detector = new TokenFailureDetector(3, 1, Token);

        Assert.False(detector.IsAlive(0, Now));
        Assert.Null(detector.LastSeen(0));
        Assert.Null(detector.NextExpiry(Now));
    }

    [Fact]
    public void IsAlive_ExactlyTokenAfterHeartbeat_StillAlive()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        detector.Observe(1, 0, Now);

        _time.Advance(Token);

        Assert.True(detector.IsAlive(1, Now));
        Assert.True(detector.IsLinkUp(1, 0, Now));
    }

    [Fact]
    public void IsAlive_OneTickAfterToken_Lost()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        detector.Observe(1, 0, Now);

        _time.Advance(Token);
        _time.Advance(Tick);

        Assert.False(detector.IsAlive(1, Now));
        Assert.False(detector.IsLinkUp(1, 0, Now));
        Assert.Equal(TimeSpan.FromMilliseconds(250), detector.LastSeen(1));
    }

    [Fact]
    public void IsAlive_OnlySecondLinkRecent_AliveWithFirstLinkDown()
    {
        var detector = new TokenFailureDetector(2, 2, Token);
        detector.Observe(1, 0, Now);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        detector.Observe(1, 1, Now);

        _time.Advance(TimeSpan.FromMilliseconds(600));

        Assert.True(detector.IsAlive(1, Now));
        Assert.False(detector.IsLinkUp(1, 0, Now));
        Assert.True(detector.IsLinkUp(1, 1, Now));
        Assert.Equal(TimeSpan.FromMilliseconds(600), detector.LastSeen(1));
        Assert.Equal(TimeSpan.Zero, detector.LastSeen(1, 0));
    }

    [Fact]
    public void IsAlive_LinksTakingTurns_NeverLost()
    {
        var detector = new TokenFailureDetector(2, 2, Token);
        for (var i = 0; i < 50; i++)
        {
            detector.Observe(1, i % 2, Now);
            _time.Advance(Token);
            Assert.True(detector.IsAlive(1, Now), $"lost after heartbeat {i}");
        }
    }

    [Fact]
    public void Observe_OlderTimestamp_DoesNotMoveLastSeenBack()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        detector.Observe(1, 0, TimeSpan.FromMilliseconds(500));

        detector.Observe(1, 0, TimeSpan.FromMilliseconds(100));

        Assert.Equal(TimeSpan.FromMilliseconds(500), detector.LastSeen(1, 0));
    }

    [Fact]
    public void Observe_OneNode_LeavesOthersUnheard()
    {
        var detector = new TokenFailureDetector(3, 1, Token);

        detector.Observe(2, 0, Now);

        Assert.False(detector.IsAlive(0, Now));
        Assert.False(detector.IsAlive(1, Now));
        Assert.True(detector.IsAlive(2, Now));
    }

    [Fact]
    public void NextExpiry_TwoNodes_IsOneTickAfterTheEarliestTokenEnd()
    {
        var detector = new TokenFailureDetector(3, 1, Token);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        detector.Observe(0, 0, Now);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        detector.Observe(2, 0, Now);

        Assert.Equal(TimeSpan.FromMilliseconds(1100) + Tick, detector.NextExpiry(Now));

        _time.Advance(TimeSpan.FromMilliseconds(800)); // now = 1100 ms: node 0 is alive for one more tick
        Assert.Equal(TimeSpan.FromMilliseconds(1100) + Tick, detector.NextExpiry(Now));

        _time.Advance(Tick);
        Assert.False(detector.IsAlive(0, Now));
        Assert.Equal(TimeSpan.FromMilliseconds(1300) + Tick, detector.NextExpiry(Now));

        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Null(detector.NextExpiry(Now));
    }

    [Fact]
    public void NextExpiry_SeveralLinks_UsesTheNewestHeartbeat()
    {
        var detector = new TokenFailureDetector(2, 2, Token);
        detector.Observe(1, 0, Now);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        detector.Observe(1, 1, Now);

        Assert.Equal(TimeSpan.FromMilliseconds(1400) + Tick, detector.NextExpiry(Now));
    }

    [Fact]
    public void NextExpiry_AtThatInstant_NodeIsLost()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        _time.Advance(TimeSpan.FromMilliseconds(37));
        detector.Observe(1, 0, Now);

        var expiry = detector.NextExpiry(Now)!.Value;
        _time.Advance(expiry - Now - Tick);
        Assert.True(detector.IsAlive(1, Now));
        _time.Advance(Tick);

        Assert.False(detector.IsAlive(1, Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Ctor_NonPositiveToken_Throws(int milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenFailureDetector(2, 1, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Ctor_ZeroLinks_StillTracksOneLink()
    {
        var detector = new TokenFailureDetector(2, 0, Token);

        detector.Observe(1, 0, Now);

        Assert.True(detector.IsAlive(1, Now));
        Assert.Equal(Token, detector.Token);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20_240_601)]
    [InlineData(987_654_321)]
    public void IsAlive_HeartbeatsJitteredBelowToken_NeverLost(int seed)
    {
        var random = new Random(seed);
        var detector = new TokenFailureDetector(2, 2, Token);
        detector.Observe(1, 0, Now);
        for (var beat = 0; beat < 2000; beat++)
        {
            // The gap to the next heartbeat is 0.5 to 0.99 token, checked in steps up to just before it arrives.
            var gap = Token * (0.5 + (random.NextDouble() * 0.49));
            var steps = random.Next(1, 5);
            for (var s = 0; s < steps; s++)
            {
                _time.Advance(gap / steps);
                Assert.True(detector.IsAlive(1, Now), $"seed {seed}: lost at {Now} after heartbeat {beat}, gap {gap}");
                Assert.True(detector.NextExpiry(Now) > Now, $"seed {seed}: next expiry not after {Now}");
            }

            detector.Observe(1, random.Next(2), Now);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(31_337)]
    public void IsAlive_GapJustOverToken_LostOnceAndBackOnNextHeartbeat(int seed)
    {
        var random = new Random(seed);
        var detector = new TokenFailureDetector(2, 1, Token);
        for (var beat = 0; beat < 200; beat++)
        {
            detector.Observe(1, 0, Now);
            var late = random.Next(2) == 0;
            _time.Advance(late ? Token + Tick : Token * (0.5 + (random.NextDouble() * 0.5)));
            Assert.True(detector.IsAlive(1, Now) != late, $"seed {seed}: heartbeat {beat}, late {late}, alive {!late} expected");
        }
    }

    [Fact]
    public void Resume_LinkUpAtPause_HeardAtResumeAndAliveForAFullTokenAfter()
    {
        var detector = new TokenFailureDetector(2, 1, Token);
        detector.Observe(1, 0, TimeSpan.FromMilliseconds(100));
        var pausedAt = TimeSpan.FromMilliseconds(100) + Token; // the link's last instant up
        var resumedAt = TimeSpan.FromMilliseconds(3600);

        detector.Resume(pausedAt, resumedAt);

        Assert.Equal(resumedAt, detector.LastSeen(1, 0));
        Assert.True(detector.IsAlive(1, resumedAt + Token));
        Assert.False(detector.IsAlive(1, resumedAt + Token + Tick));
        Assert.Equal(resumedAt + Token + Tick, detector.NextExpiry(resumedAt));
    }

    [Fact]
    public void Resume_LinkDownBeforePause_StaysDown()
    {
        var detector = new TokenFailureDetector(2, 2, Token);
        detector.Observe(1, 0, TimeSpan.FromMilliseconds(100));
        detector.Observe(1, 1, TimeSpan.FromMilliseconds(900));
        var pausedAt = TimeSpan.FromMilliseconds(100) + Token + Tick; // link 0 lost one tick before the pause

        detector.Resume(pausedAt, TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromMilliseconds(100), detector.LastSeen(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(5), detector.LastSeen(1, 1));
        Assert.Null(detector.LastSeen(0));
    }
}
