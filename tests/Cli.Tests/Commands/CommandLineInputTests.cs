using System.CommandLine;
using ClusterD.Cli.Commands;

namespace ClusterD.Cli.Tests.Commands;

public sealed class CommandLineInputTests
{
    [Theory]
    [InlineData("Cannot parse argument '1.5' for option '--depth' as expected type 'System.Int32'.", "--depth: '1.5' is not a whole number")]
    [InlineData("Cannot parse argument 'maybe' for option '--json' as expected type 'System.Boolean'.", "--json: 'maybe' is not true or false")]
    [InlineData("Cannot parse argument 'x' for argument 'N' as expected type 'System.Double'.", "N: 'x' is not a number")]
    [InlineData("Unrecognized command or argument '--bogus'.", "Unrecognized command or argument '--bogus'.")]
    public void Translate_ParseErrors_NameTheOptionNotTheType(string message, string expected)
    {
        Assert.Equal(expected, CommandLineInput.Translate(message));
    }

    [Theory]
    [InlineData("0", 0, null)]
    [InlineData("10", 10, null)]
    [InlineData("-1", 0, "--depth: '-1' must be 0 or more")]
    [InlineData("1.5", 0, "--depth: '1.5' is not a whole number")]
    [InlineData("99999999999", 0, "--depth: '99999999999' is too large")]
    [InlineData("", 0, "--depth: '' is not a whole number")]
    public void ParseCount_ThroughARealOption_ValueOrErrorInTheUsersTerms(string text, int value, string? error)
    {
        var option = new Option<int>("--depth") { CustomParser = result => CommandLineInput.ParseCount(result, "--depth") };
        var root = new RootCommand { option };

        var parsed = root.Parse(["--depth", text]);

        Assert.Equal(error, parsed.Errors.SingleOrDefault()?.Message);
        if (error is null)
        {
            Assert.Equal(value, parsed.GetValue(option));
        }
    }
}
