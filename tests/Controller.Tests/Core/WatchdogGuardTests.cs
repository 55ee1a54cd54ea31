using ClusterD.Controller.Core;

namespace ClusterD.Controller.Tests.Core;

public sealed class WatchdogGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void Evaluate_HoldsNothing_StaysDisarmed()
    {
        var guard = new WatchdogGuard("/nonexistent/watchdog", TimeSpan.FromSeconds(10));

        Assert.Empty(guard.Evaluate(holds: false, unhealthy: null, T0));
        Assert.False(guard.Armed);
        Assert.Null(guard.NextWake);
    }

    [Fact]
    public void Evaluate_HoldsResources_ArmsAndFeedsAtOnce()
    {
        var guard = new WatchdogGuard("/nonexistent/watchdog", TimeSpan.FromSeconds(10));

        var effects = guard.Evaluate(holds: true, unhealthy: null, T0);

        Assert.Equal(new ArmWatchdog("/nonexistent/watchdog", TimeSpan.FromSeconds(10)), effects[0]);
        Assert.IsType<FeedWatchdog>(effects[^1]);
        Assert.Equal(T0 + TimeSpan.FromSeconds(2.5), guard.NextWake);
    }

    [Fact]
    public void Evaluate_Armed_FeedsEveryQuarterOfTheTimeoutToTheTick()
    {
        var guard = new WatchdogGuard("/nonexistent/watchdog", TimeSpan.FromSeconds(10));
        guard.Evaluate(holds: true, unhealthy: null, T0);
        var interval = TimeSpan.FromSeconds(2.5);

        Assert.Empty(guard.Evaluate(holds: true, unhealthy: null, T0 + interval - Tick));
        Assert.Equal([new FeedWatchdog()], guard.Evaluate(holds: true, unhealthy: null, T0 + interval));
        Assert.Empty(guard.Evaluate(holds: true, unhealthy: null, T0 + interval + interval - Tick));
        Assert.Equal([new FeedWatchdog()], guard.Evaluate(holds: true, unhealthy: null, T0 + interval + interval));
    }

    [Fact]
    public void Evaluate_QuorumLost_StopsFeedingForGood()
    {
        var guard = new WatchdogGuard("/nonexistent/watchdog", TimeSpan.FromSeconds(10));
        guard.Evaluate(holds: true, unhealthy: null, T0);

        var effects = guard.Evaluate(holds: true, unhealthy: "no quorum", T0 + TimeSpan.FromSeconds(1));

        var published = Assert.IsType<PublishEvent>(Assert.Single(effects));
        Assert.Equal(ControllerEventKind.Watchdog, published.Event.Kind);
        Assert.Contains("resets by 2026-01-01T00:00:10", published.Event.Message, StringComparison.Ordinal);
        Assert.Null(guard.NextWake);
        Assert.Equal("no quorum", guard.Starving);

        // Quorum back, or nothing held any more: the reset comes anyway (peers may be counting it down), no feed, no magic close.
        for (var s = 2; s < 30; s++)
        {
            Assert.Empty(guard.Evaluate(holds: s < 10, unhealthy: null, T0 + TimeSpan.FromSeconds(s)));
        }

        Assert.True(guard.Armed);
    }

    [Fact]
    public void Evaluate_ReleasesEverything_DisarmsWithTheMagicClose()
    {
        var guard = new WatchdogGuard("/nonexistent/watchdog", TimeSpan.FromSeconds(10));
        guard.Evaluate(holds: true, unhealthy: null, T0);

        var effects = guard.Evaluate(holds: false, unhealthy: null, T0 + TimeSpan.FromSeconds(1));

        Assert.IsType<DisarmWatchdog>(effects[0]);
        Assert.False(guard.Armed);
        Assert.Null(guard.NextWake);
        Assert.Empty(guard.Evaluate(holds: false, unhealthy: null, T0 + TimeSpan.FromSeconds(5)));
    }
}
