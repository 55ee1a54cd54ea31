using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

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

    /// <summary>
    /// Pacemaker 2.1.5 ignores a node_state without a uname, history and all (crm_simulate -S -VVVV:
    /// "warning: Ignoring malformed node_state entry without uname"; node n1 is then OFFLINE and
    /// the resource it ran is Stopped). It does not look the name up by id, so neither does
    /// clusterd: the configured node is one never seen.
    /// </summary>
    [Fact]
    public void Import_NodeStateWithoutUname_IgnoredWithAWarning()
    {
        var result = CibImporter.Import(Cib("", """
            <node_state id="1" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="1"><lrm_resources><lrm_resource id="a" class="ocf" provider="heartbeat" type="Dummy">
                <lrm_rsc_op id="a_last_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0"/>
              </lrm_resource></lrm_resources></lrm>
            </node_state>
            <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
            """));

        Assert.Empty(result.Errors);
        var status = result.Status!;
        Assert.Equal([("n2", true), ("n1", false)], status.Nodes.Select(n => (n.Name, n.Online)));
        Assert.Equal(InstanceRole.Stopped, status.RoleOf("a", "n1"));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((10, 12), (warning.Line, warning.Column));
        Assert.Equal("<node_state id=\"1\"> without a uname is ignored, as Pacemaker does", warning.Message);
    }

    private const string IdRefCib = """
        <cib epoch="1">
          <configuration>
            <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
            <resources>
              <primitive id="a" class="ocf" provider="heartbeat" type="Dummy">
                <meta_attributes id="common"><nvpair id="common-s" name="resource-stickiness" value="7"/></meta_attributes>
              </primitive>
              <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id-ref="common"/></primitive>
              <primitive id="c" class="ocf" provider="heartbeat" type="Dummy">
                <meta_attributes id="c-m"><nvpair id-ref="common-s"/><nvpair id-ref="common-s" name="priority"/></meta_attributes>
              </primitive>
            </resources>
            <constraints>
              <rsc_location id="l1" rsc="a"><rule id="r1" score="100"><expression id="e1" attribute="#uname" operation="eq" value="n2"/></rule></rsc_location>
              <rsc_location id="l2" rsc="b"><rule id-ref="r1"/></rsc_location>
              <rsc_location id="l3" rsc="c"><rule id-ref="REF"/></rsc_location>
            </constraints>
          </configuration>
        </cib>
        """;

    /// <summary>
    /// id-ref on an attribute set, an nvpair and a rule stands for the element of the same name with
    /// that id (Pacemaker's <c>expand_idref</c>); an nvpair's own name or value wins over the
    /// referenced one's. crm_simulate -R -s on a, b (meta_attributes id-ref) and c (nvpair id-ref),
    /// all started on n1, with l2/l3 using rule id-ref="r1", prints "allocation score on n1: 7" and
    /// "on n2: 100" for each of the three.
    /// </summary>
    [Fact]
    public void Import_IdRefs_StandForTheReferencedElement()
    {
        var result = CibImporter.Import(IdRefCib.Replace("REF", "r1", StringComparison.Ordinal));

        Assert.Empty(result.Errors);
        var config = result.Config!;
        Assert.Equal(
            [
                ("a", new[] { ("resource-stickiness", "7") }),
                ("b", new[] { ("resource-stickiness", "7") }),
                ("c", new[] { ("resource-stickiness", "7"), ("priority", "7") }),
            ],
            config.Primitives.Select(p => (p.Id, p.Meta.Items.Select(i => (i.Key, i.Value)).ToArray())));
        var rules = config.Locations.Select(l => Assert.Single(l.Rules)).ToList();
        Assert.Equal(3, rules.Count);
        Assert.All(rules, r => Assert.Equal(rules[0], r));
        Assert.Equal(new Score(100), rules[0].Score);
    }

    [Fact]
    public void Import_IdRefToNothing_ErrorAtTheReference()
    {
        var result = CibImporter.Import(IdRefCib.Replace("REF", "nope", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal((16, 43), (error.Line, error.Column));
        Assert.Equal("<rule id-ref=\"nope\"> refers to no <rule> with that id", error.Message);
    }
}
