using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

public sealed class RuleExpressionTests
{
    private static readonly Dictionary<string, string> Node = new()
    {
        ["#uname"] = "node1", ["pingd"] = "2000", ["rack"] = "R1", ["load"] = "0.5", ["kernel"] = "5.10.2", ["empty"] = "",
    };

    [Theory]
    [InlineData("pingd", RuleOperator.Defined, null, null, true)]
    [InlineData("nope", RuleOperator.Defined, null, null, false)]
    [InlineData("nope", RuleOperator.NotDefined, null, null, true)]
    [InlineData("#uname", RuleOperator.Eq, "node1", null, true)]
    [InlineData("#uname", RuleOperator.Eq, "NODE1", null, true)]
    [InlineData("#uname", RuleOperator.Ne, "node2", null, true)]
    [InlineData("nope", RuleOperator.Ne, "x", null, true)]
    [InlineData("nope", RuleOperator.Eq, "x", null, false)]
    [InlineData("nope", RuleOperator.Lt, "5", null, false)]
    [InlineData("pingd", RuleOperator.Gt, "999", null, true)]
    [InlineData("pingd", RuleOperator.Lt, "999", null, false)]
    [InlineData("pingd", RuleOperator.Gte, "2000", null, true)]
    [InlineData("pingd", RuleOperator.Lte, "1999", null, false)]
    [InlineData("pingd", RuleOperator.Gt, "999", RuleValueType.String, false)]
    [InlineData("load", RuleOperator.Lt, "0.75", null, true)]
    [InlineData("load", RuleOperator.Lt, "0.75", RuleValueType.Integer, false)]
    [InlineData("kernel", RuleOperator.Gte, "5.9", RuleValueType.Version, true)]
    [InlineData("kernel", RuleOperator.Gte, "5.9", RuleValueType.String, false)]
    [InlineData("rack", RuleOperator.Gt, "1", RuleValueType.Number, false)]
    [InlineData("empty", RuleOperator.Eq, "", null, true)]
    public void Matches_FollowsPacemakerComparison(string attribute, RuleOperator op, string? value, RuleValueType? type, bool expected)
    {
        Assert.Equal(expected, new RuleExpression(attribute, op, value, type).Matches(Node));
    }

    [Fact]
    public void Rule_AndOr_ScoreAttribute()
    {
        EquatableArray<RuleExpression> both = [new("#uname", RuleOperator.Eq, "node1"), new("rack", RuleOperator.Eq, "R2")];

        Assert.False(new LocationRule(Score.Infinity, both).Matches(Node));
        Assert.True(new LocationRule(Score.Infinity, both, BooleanOperator.Or).Matches(Node));
        Assert.False(new LocationRule(Score.Infinity, []).Matches(Node));
        Assert.Equal(new Score(2000), new LocationRule(Score.Zero, both, ScoreAttribute: "pingd").ScoreFor(Node));
        Assert.Equal(Score.Zero, new LocationRule(Score.Zero, both, ScoreAttribute: "rack").ScoreFor(Node));
        Assert.Equal(new Score(7), new LocationRule(new Score(7), both).ScoreFor(Node));
    }
}
