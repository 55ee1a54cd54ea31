using System.Security.Cryptography;
using System.Text;
using ClusterD.Controller.Configuration;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Tests.Configuration;

public sealed class ConfigMergeTests
{
    private const string Base = """
        node 1: hadb01
        node 2: hadb02
        primitive p_db lsb:mysql op monitor interval=10s
        location loc1 p_db 100: hadb01
        property stonith-enabled=true
        """;

    /// <summary>
    /// One meeting of two configurations: the local one, the peer's (from hadb02), what the local node
    /// does, and the warning exactly (null: none).
    /// </summary>
    public static TheoryData<string, string, string, ConfigMergeOutcome, string?> Cases => new()
    {
        {
            "same version and content",
            V(0, 8, Base), V(0, 8, Base), ConfigMergeOutcome.Same, null
        },
        {
            "remote newer, local was an older copy of it",
            V(0, 7, Base), V(0, 8, Base), ConfigMergeOutcome.TakeRemote, null
        },
        {
            "local newer, remote an older copy",
            V(0, 8, Base), V(0, 7, Base), ConfigMergeOutcome.KeepLocal, null
        },
        {
            "remote older with a resource of its own and a changed location",
            V(0, 8, Base),
            V(0, 7, Base.Replace("100: hadb01", "200: hadb02", StringComparison.Ordinal) + "\nprimitive p_extra ocf:pacemaker:Dummy"),
            ConfigMergeOutcome.KeepLocal,
            "dropped configuration admin_epoch=0 epoch=7 from hadb02: it had primitive p_extra, changed location loc1; keeping admin_epoch=0 epoch=8"
        },
        {
            "local older and lacking what the remote added",
            V(0, 7, Base.Replace("property stonith-enabled=true", "property stonith-enabled=false", StringComparison.Ordinal)),
            V(0, 8, Base + "\norder o1 Mandatory: p_db p_web\nprimitive p_web ocf:pacemaker:Dummy"),
            ConfigMergeOutcome.TakeRemote,
            "dropped the local configuration admin_epoch=0 epoch=7: it lacked primitive p_web and order o1, changed property stonith-enabled; taking admin_epoch=0 epoch=8 from hadb02"
        },
        {
            "admin_epoch beats a higher epoch",
            V(0, 50, Base + "\nrsc_defaults resource-stickiness=100"), V(1, 0, Base), ConfigMergeOutcome.TakeRemote,
            "dropped the local configuration admin_epoch=0 epoch=50: it had rsc_defaults resource-stickiness; taking admin_epoch=1 epoch=0 from hadb02"
        },
        {
            "different version, same content apart from attribute order",
            V(0, 3, Base.Replace("op monitor interval=10s", "op monitor interval=10s timeout=20s", StringComparison.Ordinal)),
            V(0, 4, Base.Replace("op monitor interval=10s", "op monitor timeout=20s interval=10s", StringComparison.Ordinal)),
            ConfigMergeOutcome.TakeRemote, null
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_Case_OutcomeConfigAndWarning(string name, string local, string remote, ConfigMergeOutcome outcome, string? warning)
    {
        var l = Parse(local);
        var r = Parse(remote);

        var decision = ConfigMerge.Decide(l, r, "hadb02");

        Assert.True(outcome == decision.Outcome, name);
        Assert.Equal(outcome == ConfigMergeOutcome.TakeRemote ? r : l, decision.Config);
        Assert.Equal(warning, decision.Warning);
    }

    [Fact]
    public void Decide_SameVersionDifferentContent_BothSidesKeepTheOneWithTheHigherCanonicalDigest()
    {
        var a = Parse(V(0, 7, Base + "\nprimitive p_a ocf:pacemaker:Dummy"));
        var b = Parse(V(0, 7, Base + "\nprimitive p_b ocf:pacemaker:Dummy"));
        var expected = string.CompareOrdinal(Digest(a), Digest(b)) > 0 ? a : b;

        var onA = ConfigMerge.Decide(a, b, "hadb02");
        var onB = ConfigMerge.Decide(b, a, "hadb01");

        Assert.Equal(expected, onA.Config);
        Assert.Equal(expected, onB.Config);
        Assert.Equal(expected == a ? ConfigMergeOutcome.KeepLocal : ConfigMergeOutcome.TakeRemote, onA.Outcome);
        Assert.Equal(expected == b ? ConfigMergeOutcome.KeepLocal : ConfigMergeOutcome.TakeRemote, onB.Outcome);
        var (lost, kept) = expected == a ? ("p_b", "p_a") : ("p_a", "p_b");
        var onLoserSide = expected == a ? onB.Warning : onA.Warning;
        var onWinnerSide = expected == a ? onA.Warning : onB.Warning;
        Assert.StartsWith($"dropped the local configuration admin_epoch=0 epoch=7: it had primitive {lost}, lacked primitive {kept}; taking admin_epoch=0 epoch=7 from ", onLoserSide, StringComparison.Ordinal);
        Assert.StartsWith($"dropped configuration admin_epoch=0 epoch=7 from ", onWinnerSide, StringComparison.Ordinal);
        Assert.EndsWith("(both sides changed it to the same version independently; the higher SHA-256 of the canonical text wins on every node)", onWinnerSide, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ManyDifferences_NamesTenAndCountsTheRest()
    {
        var extra = string.Concat(Enumerable.Range(1, 12).Select(i => $"\nprimitive p{i:00} ocf:pacemaker:Dummy"));

        var decision = ConfigMerge.Decide(Parse(V(0, 9, Base)), Parse(V(0, 2, Base + extra)), "hadb02");

        Assert.Equal(
            "dropped configuration admin_epoch=0 epoch=2 from hadb02: it had primitive p01, primitive p02, primitive p03, primitive p04, primitive p05, "
            + "primitive p06, primitive p07, primitive p08, primitive p09 and primitive p10, and 2 more differences; keeping admin_epoch=0 epoch=9",
            decision.Warning);
    }

    [Theory]
    [InlineData(0, 6, 0, 7)]
    [InlineData(2, 0, 2, 1)]
    [InlineData(0, ConfigMerge.MaxEpoch, 1, 0)]
    public void NextVersion_Version_IsTheNextHigherOneTheVersionLineCarries(int admin, int epoch, int nextAdmin, int nextEpoch)
    {
        var next = ConfigMerge.NextVersion(new ConfigVersion(admin, epoch));

        Assert.Equal(new ConfigVersion(nextAdmin, nextEpoch), next);
        Assert.True(next > new ConfigVersion(admin, epoch));
        Assert.Equal(next, CrmParser.Parse(CrmWriter.Write(ClusterConfig.Empty with { Version = next })).GetConfigOrThrow().Version);
    }

    [Fact]
    public void NextVersion_AtTheTop_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ConfigMerge.NextVersion(new ConfigVersion(ConfigMerge.MaxEpoch, ConfigMerge.MaxEpoch)));
    }

    private static string V(int admin, int epoch, string crm) => $"# clusterd: admin_epoch={admin} epoch={epoch}\n{crm}";

    private static ClusterConfig Parse(string crm) => CrmParser.Parse(crm).GetConfigOrThrow();

    private static string Digest(ClusterConfig c) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CrmWriter.Write(c))));
}
