using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Tests.Core;

public sealed class WatchdogFencingTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(5);

    private static ClusterConfig With(string? value) =>
        CrmParser.Parse(value is null ? "property stonith-enabled=true" : $"property stonith-watchdog-timeout={value}").GetConfigOrThrow();

    [Theory]
    [InlineData("10s", 10)]
    [InlineData("10000ms", 10)]
    [InlineData("-1", 10)]
    [InlineData("30", 30)]
    public void Resolve_SafeValue_WaitsIt(string value, int seconds)
    {
        var wait = WatchdogFencing.Resolve(With(value), Watchdog, twoNode: false);

        Assert.Equal(TimeSpan.FromSeconds(seconds), wait.Wait);
        Assert.Null(wait.Refusal);
        Assert.Null(wait.Warning);
    }

    [Fact]
    public void Resolve_FencingWatchdogTimeout_IsReadFirst()
    {
        var config = CrmParser.Parse("property stonith-watchdog-timeout=7s fencing-watchdog-timeout=12s").GetConfigOrThrow();

        Assert.Equal(TimeSpan.FromSeconds(12), WatchdogFencing.Resolve(config, Watchdog, twoNode: false).Wait);
    }

    [Theory]
    [InlineData("5s")]
    [InlineData("4s")]
    public void Resolve_NotAboveTheWatchdogTimeout_IsRefused(string value)
    {
        var wait = WatchdogFencing.Resolve(With(value), Watchdog, twoNode: false);

        Assert.Null(wait.Wait);
        Assert.Contains("does not exceed the watchdog timeout 5s", wait.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BelowTwiceTheWatchdogTimeout_WarnsButWaits()
    {
        var wait = WatchdogFencing.Resolve(With("6s"), Watchdog, twoNode: false);

        Assert.Equal(TimeSpan.FromSeconds(6), wait.Wait);
        Assert.Contains("less than twice", wait.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "not set")]
    [InlineData("0", "not set")]
    [InlineData("soon", "not a duration")]
    public void Resolve_OffOrUnreadable_IsRefused(string? value, string why)
    {
        Assert.Contains(why, WatchdogFencing.Resolve(With(value), Watchdog, twoNode: false).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoLocalWatchdog_IsRefused()
    {
        Assert.Contains("this node has no watchdog", WatchdogFencing.Resolve(With("10s"), null, twoNode: false).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_TwoNode_IsRefused()
    {
        Assert.Contains("two_node", WatchdogFencing.Resolve(With("10s"), Watchdog, twoNode: true).Refusal, StringComparison.Ordinal);
    }
}
