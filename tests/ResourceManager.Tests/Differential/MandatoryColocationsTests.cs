using System.Collections.Immutable;

namespace ClusterD.ResourceManager.Tests.Differential;

public sealed class MandatoryColocationsTests
{
    private static readonly RandomCluster Cluster = new(
        0,
        """
        <cib><configuration><resources>
          <primitive id="r1"/>
          <group id="g2"><primitive id="g2a"/><primitive id="g2b"/></group>
          <clone id="m3"><primitive id="m3p"/></clone>
        </resources><constraints>
          <rsc_colocation id="apart" score="-INFINITY" rsc="r1" with-rsc="g2"/>
          <rsc_colocation id="with-promoted" score="INFINITY" rsc="r1" with-rsc="m3" with-rsc-role="Promoted"/>
          <rsc_colocation id="finite" score="100" rsc="g2" with-rsc="m3"/>
        </constraints></configuration></cib>
        """,
        ImmutableDictionary<(string, string), string>.Empty,
        ["m3"],
        ["n1", "n2"]);

    [Fact]
    public void BrokenBy_FollowerBesideItsMinusInfinityPrimary_AndAwayFromItsPromotedPrimary()
    {
        var broken = MandatoryColocations.BrokenBy(Cluster, new HashSet<string> { "r1@n1=Started", "g2b@n1=Started", "m3p@n1=Unpromoted", "m3p@n2=Promoted" });

        Assert.Equal(["apart (-INFINITY) on n1", "with-promoted (INFINITY) on n1"], broken);
    }

    [Fact]
    public void BrokenBy_PlacementKeepingThem_IsEmpty_AndFiniteScoresNeverCount()
    {
        var broken = MandatoryColocations.BrokenBy(Cluster, new HashSet<string> { "r1@n2=Started", "g2a@n1=Started", "m3p@n2=Promoted" });

        Assert.Empty(broken);
    }
}
