using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>Every crm fixture parses without errors, and show -> parse gives back an equal model.</summary>
public sealed class CrmFixtureTests
{
    public static TheoryData<string> CrmFixtures => [.. Fixtures.CrmNames];

    [Fact]
    public void Fixtures_AreAllPresent()
    {
        Assert.True(Fixtures.CrmNames.Count() >= 14, string.Join(", ", Fixtures.CrmNames));
    }

    [Theory]
    [MemberData(nameof(CrmFixtures))]
    public void Parse_Fixture_HasNoErrors(string name)
    {
        var result = CrmParser.ParseFile(Fixtures.Crm(name));

        Assert.Empty(result.Errors);
        Assert.True(result.Succeeded);
    }

    [Theory]
    [MemberData(nameof(CrmFixtures))]
    public void Write_ThenParse_GivesAnEqualModel(string name)
    {
        var config = CrmParser.ParseFile(Fixtures.Crm(name)).GetConfigOrThrow();

        var shown = CrmWriter.Write(config);
        var again = CrmParser.Parse(shown, "shown.crm");

        Assert.Empty(again.Errors);
        Assert.All(again.Warnings, w => Assert.StartsWith("unknown cluster property", w.Message, StringComparison.Ordinal));
        Assert.Equal(config, again.Config);
        Assert.Equal(shown, CrmWriter.Write(again.Config!));
    }
}
