using ClusterD.Agents.Metadata;

namespace ClusterD.Agents.Tests.Metadata;

public sealed class ParameterValidatorTests
{
    private static readonly AgentMetadata Metadata = AgentMetadataParser.Parse("""
        <resource-agent name="db">
        <parameters>
        <parameter name="datadir" required="1"><content type="string"/></parameter>
        <parameter name="binary" required="1"><content type="string" default="/usr/sbin/mysqld"/></parameter>
        <parameter name="port"><content type="integer" default="3306"/></parameter>
        <parameter name="enable"><content type="boolean" default="false"/></parameter>
        <parameter name="mode"><content type="select"><option value="a"/><option value="b"/></content></parameter>
        <parameter name="old" deprecated="1"><content type="string"/></parameter>
        </parameters>
        <actions><action name="start"/><action name="stop"/><action name="monitor"/></actions>
        </resource-agent>
        """);

    [Fact]
    public void Validate_AllFine_NoIssues() =>
        Assert.Empty(ParameterValidator.Validate(Metadata, new Dictionary<string, string>
        {
            ["datadir"] = "/var/lib/mysql", ["port"] = "-1", ["enable"] = "yes", ["mode"] = "b",
        }));

    [Fact]
    public void Validate_ReportsMissingRequiredFirstThenWarningsByName()
    {
        var issues = ParameterValidator.Validate(Metadata, new Dictionary<string, string>
        {
            ["port"] = "abc", ["enable"] = "maybe", ["mode"] = "c", ["old"] = "x", ["typo"] = "1", ["datadir"] = "",
        });

        Assert.Equal(
            [
                (ParameterIssueKind.MissingRequired, "datadir"),
                (ParameterIssueKind.InvalidValue, "enable"),
                (ParameterIssueKind.InvalidValue, "mode"),
                (ParameterIssueKind.Deprecated, "old"),
                (ParameterIssueKind.InvalidValue, "port"),
                (ParameterIssueKind.Unknown, "typo"),
            ],
            issues.Select(i => (i.Kind, i.Parameter)));
        Assert.True(issues[0].IsError);
        Assert.All(issues.Skip(1), i => Assert.False(i.IsError));
        Assert.Equal("parameter 'typo' is not declared by agent 'db'", issues[^1].Message);
    }
}
