using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>The <c>quorum { witness { ... } }</c> section: its keys with their lines, warnings and errors naming file, line and key.</summary>
public sealed partial class ClusterConfigurationLoaderTests
{
    private const string WitnessConf = TwoNodes + """

        quorum {
            provider: corosync_votequorum
            two_node: 1
            witness {
                type: azure_blob
                account: hawitness
                container: clusterd
                head_start: 300
                colour: blue
            }
        }
        """;

    [Fact]
    public void Parse_Witness_KeepsItsKeysWithTheirLines()
    {
        var config = Parse(WitnessConf);

        var witness = config.Witness!;
        Assert.Equal(new Dictionary<string, string> { ["type"] = "azure_blob", ["account"] = "hawitness", ["container"] = "clusterd", ["head_start"] = "300" },
            witness.Values);
        Assert.Equal(LineOf(WitnessConf, "account:"), witness.LineOf("account"));
        Assert.Equal(LineOf(WitnessConf, "witness {"), witness.LineOf("url"));
        Assert.True(config.Quorum.TwoNode);
    }

    [Fact]
    public void Parse_WitnessUnknownKey_IsWarnedWithItsLine()
    {
        var config = Parse(WitnessConf);

        Assert.Equal([(LineOf(WitnessConf, "colour"), "quorum.witness.colour", "unknown key")], WarningsOf(config));
    }

    [Fact]
    public void Parse_NoWitness_IsNull()
    {
        Assert.Null(Parse(TwoNodes + "\nquorum {\n two_node: 1\n}\n").Witness);
        Assert.Null(Parse(TwoNodes).Witness);
    }

    [Fact]
    public void Parse_WitnessWithoutType_NamesTheSection()
    {
        var text = TwoNodes + "\nquorum {\n    witness {\n        container: c1c\n    }\n}\n";

        var e = Fails(text);

        Assert.Equal((FileName, LineOf(text, "witness {"), "quorum.witness.type", "is required"), (e.File, e.Line, e.Key, e.Problem));
    }

    [Fact]
    public void Parse_WitnessOfAnUnknownType_NamesTheLine()
    {
        var text = TwoNodes + "\nquorum {\n    witness {\n        type: disk\n    }\n}\n";

        var e = Fails(text);

        Assert.Equal((LineOf(text, "type: disk"), "quorum.witness.type"), (e.Line, e.Key));
        Assert.Contains("azure_blob", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoWitnesses_IsAnError()
    {
        var text = TwoNodes + "\nquorum {\n    witness {\n        type: azure_blob\n    }\n    witness {\n        type: azure_blob\n    }\n}\n";

        Assert.Equal("witness", Fails(text).Key);
    }
}
