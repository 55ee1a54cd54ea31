using ClusterD.ResourceManager.Configuration;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>show -> parse is the identity on any valid configuration.</summary>
public sealed class CrmRoundTripPropertyTests
{
    [Fact]
    public void WriteThenParse_RandomConfigs_GivesEqualModels()
    {
        var seeds = Gen.Choose(0, int.MaxValue).Where(seed => CanOnlyBeValid(RandomConfigs.Build(seed)));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(seeds), seed =>
        {
            var config = RandomConfigs.Build(seed);
            var text = CrmWriter.Write(config);
            var parsed = CrmParser.Parse(text, $"seed-{seed}.crm");

            Assert.True(parsed.Errors.IsEmpty, $"seed {seed}: {string.Join("; ", parsed.Errors)}\n{text}");
            Assert.Equal(config, parsed.Config);
            Assert.Equal(text, CrmWriter.Write(parsed.Config!));
        }));
    }

    [Fact]
    public void Generator_CoversEveryStatementKind()
    {
        var configs = Enumerable.Range(0, 300).Select(RandomConfigs.Build).Where(CanOnlyBeValid).ToList();

        Assert.Contains(configs, c => !c.Groups.IsEmpty);
        Assert.Contains(configs, c => c.Clones.Any(k => k.Promotable));
        Assert.Contains(configs, c => c.Locations.Any(l => l.HasRules));
        Assert.Contains(configs, c => c.Locations.Any(l => l.Node is not null));
        Assert.Contains(configs, c => !c.Colocations.IsEmpty);
        Assert.Contains(configs, c => !c.Orders.IsEmpty);
        Assert.Contains(configs, c => !c.Nodes.IsEmpty);
        Assert.Contains(configs, c => c.Version != default);
    }

    // Self-referencing constraints are errors by design; the generator only makes them with one resource.
    private static bool CanOnlyBeValid(ClusterConfig c) =>
        c.Colocations.All(x => x.Resource != x.WithResource) && c.Orders.All(x => x.First != x.Then);
}
