using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

public sealed class ScoreTests
{
    [Theory]
    [InlineData("INFINITY", 1_000_000)]
    [InlineData("+INFINITY", 1_000_000)]
    [InlineData("-INFINITY", -1_000_000)]
    [InlineData("inf", 1_000_000)]
    [InlineData("-inf", -1_000_000)]
    [InlineData("Infinity", 1_000_000)]
    [InlineData("0", 0)]
    [InlineData("+200", 200)]
    [InlineData("-5000", -5000)]
    [InlineData("1000000", 1_000_000)]
    [InlineData("2500000", 1_000_000)]
    [InlineData("-99999999999999999999", -1_000_000)]
    public void TryParse_ValidScores_SaturateAtInfinity(string text, int expected)
    {
        Assert.True(Score.TryParse(text, out var score));
        Assert.Equal(expected, score.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("high")]
    [InlineData("--5")]
    [InlineData("+-INFINITY")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData(".5")]
    public void TryParse_Invalid_IsRefused(string text)
    {
        Assert.False(Score.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Score.Parse(text));
    }

    [Theory]
    [InlineData("2.0", 2)]
    [InlineData("100.9", 100)]
    [InlineData("-3.9", -3)]
    [InlineData("-0.5", 0)]
    [InlineData("7.", 7)]
    [InlineData("12", 12)]
    [InlineData("-INFINITY", -1_000_000)]
    [InlineData("2500000.5", 1_000_000)]
    public void TryParseValue_Decimal_TruncatedTowardZero(string text, int expected)
    {
        Assert.True(Score.TryParseValue(text, out var score));
        Assert.Equal(expected, score.Value);
        Assert.False(Score.TryParse(text, out _) && text.Contains('.', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(".5")]
    [InlineData("1.5.2")]
    [InlineData("1.x")]
    [InlineData("high")]
    public void TryParseValue_NotANumber_IsRefused(string text) => Assert.False(Score.TryParseValue(text, out _));

    [Fact]
    public void Add_InfinityPlusMinusInfinity_IsMinusInfinity()
    {
        Assert.Equal(Score.MinusInfinity, Score.Infinity + Score.MinusInfinity);
        Assert.Equal(Score.MinusInfinity, Score.MinusInfinity + Score.Infinity);
        Assert.Equal(Score.Infinity, Score.Infinity + new Score(-999_999));
        Assert.Equal(Score.Infinity, new Score(600_000) + new Score(600_000));
        Assert.Equal(Score.MinusInfinity, new Score(-600_000) + new Score(-600_000));
        Assert.Equal(new Score(150), new Score(100) + new Score(50));
        Assert.Equal(new Score(-50), new Score(100) + new Score(-150));
    }

    [Fact]
    public void ToString_PacemakerSpelling()
    {
        Assert.Equal(["INFINITY", "-INFINITY", "42", "-7"], new[] { Score.Infinity, Score.MinusInfinity, new Score(42), new Score(-7) }.Select(s => s.ToString()));
        Assert.True(new Score(5_000_000).IsInfinity);
        Assert.True(Score.MinusInfinity < Score.Zero && Score.Zero < Score.Infinity);
    }
}
