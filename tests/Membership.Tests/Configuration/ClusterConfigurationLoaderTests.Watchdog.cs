using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>The <c>clusterd.watchdog</c> and <c>clusterd.scheduled_events</c> sections.</summary>
public sealed partial class ClusterConfigurationLoaderTests
{
    [Fact]
    public void Parse_NoWatchdogSection_NoWatchdogAndScheduledEventsAuto()
    {
        var config = Parse(TwoNodes);

        Assert.Null(config.ClusterD.Watchdog);
        Assert.Equal(ScheduledEventsOptions.Default, config.ClusterD.ScheduledEvents);
    }

    [Fact]
    public void Parse_WatchdogSection_DeviceAndTimeout()
    {
        var config = Parse(TwoNodes + "\nclusterd {\n    watchdog {\n        device: /dev/watchdog1\n        timeout: 10\n    }\n}\n");

        Assert.Equal(new WatchdogOptions("/dev/watchdog1", TimeSpan.FromSeconds(10)), config.ClusterD.Watchdog);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Parse_WatchdogWithoutTimeout_FiveSecondsAsSbd()
    {
        var config = Parse(TwoNodes + "\nclusterd {\n    watchdog {\n        device: /dev/watchdog\n    }\n}\n");

        Assert.Equal(TimeSpan.FromSeconds(5), config.ClusterD.Watchdog!.Timeout);
    }

    [Theory]
    [InlineData("timeout: 10", "device", "is required")]
    [InlineData("device: /dev/watchdog\n        timeout: 0", "timeout", "'0' is not a whole number from 1 to 3600")]
    public void Parse_BadWatchdog_IsAnErrorNamingTheKey(string body, string key, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(TwoNodes + $"\nclusterd {{\n    watchdog {{\n        {body}\n    }}\n}}\n"));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ScheduledEventsSection_ModeEndpointInterval()
    {
        var config = Parse(TwoNodes + "\nclusterd {\n    scheduled_events {\n        mode: on\n        endpoint: https://127.0.0.1:8443/\n        interval: 5\n    }\n}\n");

        Assert.Equal(new ScheduledEventsOptions(ScheduledEventsMode.On, new Uri("https://127.0.0.1:8443/"), TimeSpan.FromSeconds(5), null), config.ClusterD.ScheduledEvents);
    }

    [Theory]
    [InlineData("mode: sometimes", "mode")]
    [InlineData("endpoint: ftp://x/", "endpoint")]
    [InlineData("endpoint: http://x/?a=1", "endpoint")]
    [InlineData("interval: 0", "interval")]
    public void Parse_BadScheduledEvents_IsAnErrorNamingTheKey(string line, string key)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(TwoNodes + $"\nclusterd {{\n    scheduled_events {{\n        {line}\n    }}\n}}\n"));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
