using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("30s", 30_000)]
    [InlineData("30sec", 30_000)]
    [InlineData("5min", 300_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("2hr", 7_200_000)]
    [InlineData("500ms", 500)]
    [InlineData("500msec", 500)]
    [InlineData("1500us", 1)]
    [InlineData("0", 0)]
    [InlineData(" 20s ", 20_000)]
    [InlineData("PT1H30M", 5_400_000)]
    [InlineData("PT45S", 45_000)]
    [InlineData("P1DT1S", 86_401_000)]
    public void TryParse_PacemakerForms(string text, long ms)
    {
        Assert.True(Duration.TryParse(text, out var d));
        Assert.Equal(ms, d.Milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("5 parsecs")]
    [InlineData("1.5s")]
    [InlineData("s")]
    [InlineData("PT")]
    [InlineData("P1H")]
    [InlineData("99999999999999999h")]
    public void TryParse_Invalid_IsRefused(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(500, "500ms")]
    [InlineData(29_000, "29s")]
    [InlineData(120_000, "2min")]
    [InlineData(90_000, "90s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(1_500, "1500ms")]
    public void ToString_LargestExactUnit_ParsesBackEqual(long ms, string text)
    {
        var d = new Duration(ms);

        Assert.Equal(text, d.ToString());
        Assert.Equal(d, Duration.Parse(d.ToString()));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), d.ToTimeSpan());
    }
}
