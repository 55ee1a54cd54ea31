using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>
/// CIB input that Pacemaker 2.1.5 accepts, read with Pacemaker's meaning. Each case was checked
/// with <c>crm_simulate -x cib.xml -R -s</c> (see docs/resource-config.md, "Pacemaker input").
/// </summary>
public sealed class CibPacemakerInputTests
{
    private static string Cib(string meta, string status = "") => $"""
        <cib epoch="1">
          <configuration>
            <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
            <resources>
              <primitive id="a" class="ocf" provider="heartbeat" type="Dummy">
                <meta_attributes id="a-m">{meta}</meta_attributes>
              </primitive>
            </resources>
          </configuration>
          <status>{status}</status>
        </cib>
        """;

    /// <summary>
    /// Meta attribute values are read with Pacemaker's <c>char2score</c>: the integer before the
    /// point, the fraction dropped. crm_simulate with resource-stickiness="7.9", a at n1 and
    /// locations n1 -3, n2 100 prints "a allocation score on n1: 4" (-3 + 7).
    /// </summary>
    [Fact]
    public void Import_DecimalMetaScores_TruncatedTowardZero()
    {
        var result = CibImporter.Import(Cib("""
            <nvpair id="a-p" name="priority" value="2.0"/>
            <nvpair id="a-s" name="resource-stickiness" value="7.9"/>
            <nvpair id="a-t" name="migration-threshold" value="-0.5"/>
            """));

        Assert.Empty(result.Errors);
        var options = result.Config!.Primitives.Single().Options;
        Assert.Equal((new Score(2), new Score(7), Score.Zero), (options.Priority!.Value, options.ResourceStickiness!.Value, options.MigrationThreshold!.Value));
    }

    /// <summary>
    /// An nvpair without a value is skipped, as Pacemaker's unpacking of attribute sets skips it:
    /// with rsc_defaults resource-stickiness=50 and <c>&lt;nvpair name="resource-stickiness"/&gt;</c> on
    /// <c>a</c> (started on n1, locations n1 -3, n2 100), crm_simulate -R -s prints
    /// "a allocation score on n1: 47": the default 50 applies.
    /// </summary>
    [Fact]
    public void Import_NvPairWithoutValue_IsSkippedWithAWarning()
    {
        var result = CibImporter.Import(Cib("""
            <nvpair id="a-s" name="resource-stickiness"/><nvpair id="a-p" name="priority" value="3"/>
            """));

        Assert.Empty(result.Errors);
        var meta = result.Config!.Primitives.Single().Meta;
        Assert.Equal([("priority", "3")], meta.Items.Select(p => (p.Key, p.Value)));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((6, 36), (warning.Line, warning.Column));
        Assert.Equal("<nvpair name=\"resource-stickiness\"> has no value and is skipped, as Pacemaker does", warning.Message);
    }
}
