using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>Every kind of error, with the line and column it points at; no configuration is returned.</summary>
public sealed class CrmParserErrorTests
{
    private const string Base = """
        primitive a ocf:heartbeat:Dummy
        primitive b ocf:heartbeat:Dummy
        primitive p ocf:pacemaker:Stateful
        clone pc p meta promotable=true


        """;

    public static TheoryData<string, int, int, string> Cases => new()
    {
        // Syntax.
        { "frobnicate x y", 6, 1, "unknown statement 'frobnicate' (expected node, primitive" },
        { "bundle x", 6, 1, "'bundle' is not supported by clusterd" },
        { "primitive c ocf:heartbeat:Dummy params x=\"open", 6, 42, "unterminated double quote" },
        { "primitive c", 6, 12, "expected an agent such as ocf:heartbeat:Filesystem or lsb:mysql after 'c', but the statement ends" },
        { "primitive c ocf:heartbeat:Dummy params", 6, 39, "expected name=value after 'params'" },
        { "primitive c ocf:heartbeat:Dummy frob", 6, 33, "expected params, meta, utilization or op in primitive 'c', found 'frob'" },
        { "primitive c ocf:Dummy", 6, 13, "'ocf:Dummy': an OCF agent is written ocf:provider:type" },
        { "primitive c heartbeat:Dummy", 6, 13, "unknown agent class 'heartbeat'" },
        { "primitive c @tmpl", 6, 13, "resource templates (@template) are not supported" },
        { "primitive 9c ocf:heartbeat:Dummy", 6, 11, "'9c' is not a valid id" },
        { "group g", 6, 8, "expected at least one member primitive in group 'g'" },
        { "group g a params x=1", 6, 11, "params on group 'g' are not supported" },
        { "location l a node1", 6, 14, "expected 'SCORE: NODE' or 'rule' in location 'l', found 'node1'" },
        { "location l a 100:", 6, 18, "expected a node name after '100:', but the statement ends" },
        { "location l a rule 10: #uname eq n1 and x eq 1 or y eq 2", 6, 47, "'and' and 'or' are mixed here" },
        { "location l a rule 10: date gt 2025", 6, 23, "date expressions are not supported" },
        { "location l a rule 10: x like 1", 6, 25, "'like' is not an operator" },
        { "location l a rule 10: x float:gt 1", 6, 25, "'float' is not a value type" },
        { "location l /web.*/ 10: n1", 6, 12, "resource patterns (rsc-pattern) are not supported" },
        { "colocation c inf a b", 6, 14, "expected a score followed by ':'" },
        { "colocation c inf: a", 6, 20, "expected two resources in colocation 'c'" },
        { "colocation c inf: a b pc", 6, 23, "resource sets are not supported: write one colocation per pair" },
        { "colocation c inf: ( a b )", 6, 19, "resource sets are not supported in colocation 'c'" },
        { "order o Sometimes: a b", 6, 9, "'Sometimes' is neither an order kind (Mandatory, Optional, Serialize) nor a score" },
        { "order o a:launch b", 6, 11, "'launch' is not an action (start, stop, promote, demote)" },
        { "order o a b symmetrical=maybe", 6, 25, "symmetrical 'maybe' is not a boolean" },
        { "property stonith-enabled", 6, 10, "expected name=value in property, found 'stonith-enabled'" },
        { "node", 6, 5, "expected a node name after 'node', but the statement ends" },
        { "node -bad", 6, 6, "'-bad' is not a valid node name" },
        { "node n1 standby=on", 6, 9, "expected 'attributes' or 'utilization' in node 'n1'" },

        // Values.
        { "colocation c lots: a b", 6, 14, "'lots' is not a score (an integer, inf, -inf, INFINITY or -INFINITY)" },
        { "colocation c inf: a pc:Boss", 6, 24, "'Boss' is not a role (Stopped, Started, Unpromoted, Promoted (or the old names Slave, Master))" },
        { "location l a role=Chief 10: n1", 6, 19, "'Chief' is not a role" },
        { "primitive c ocf:heartbeat:Dummy op monitor interval=10q", 6, 53, "interval '10q' is not a duration (e.g. 30s, 5min, 1h, 500ms; plain numbers are seconds)" },
        { "primitive c ocf:heartbeat:Dummy op monitor interval=10s timeout=-5", 6, 65, "timeout '-5' is not a duration" },
        { "primitive c ocf:heartbeat:Dummy op monitor interval=10s role=Leader", 6, 62, "role 'Leader' is not a role" },
        { "primitive c ocf:heartbeat:Dummy op monitor interval=10s on-fail=explode", 6, 65, "on-fail 'explode' is not one of ignore, block, stop, restart, fence, standby, demote" },
        { "primitive c ocf:heartbeat:Dummy meta target-role=Sleeping", 6, 50, "target-role 'Sleeping' is not a role" },
        { "primitive c ocf:heartbeat:Dummy meta resource-stickiness=high", 6, 58, "resource-stickiness 'high' is not a score" },
        { "primitive c ocf:heartbeat:Dummy meta failure-timeout=soon", 6, 54, "failure-timeout 'soon' is not a duration" },
        { "primitive c ocf:heartbeat:Dummy meta is-managed=perhaps", 6, 49, "is-managed 'perhaps' is not a boolean" },
        { "clone cc c meta clone-max=two\nprimitive c ocf:heartbeat:Dummy", 6, 27, "clone-max 'two' is not a non-negative integer" },
        { "primitive c ocf:heartbeat:Dummy params x=1 x=2", 6, 44, "'x' is set twice in params of primitive 'c' (first at line 6, column 40)" },
        { "primitive c ocf:heartbeat:Dummy op monitor interval=10s op monitor interval=10000ms role=Promoted", 6, 60, "has two 'monitor' operations with interval 10s (the first at line 6)" },
        { "property no-quorum-policy=suicide", 6, 27, "no-quorum-policy 'suicide' is not one of stop, freeze, ignore, demote" },
        { "property stonith-enabled=maybe", 6, 26, "stonith-enabled 'maybe' is not a boolean" },
        { "property priority-fencing-delay=quick", 6, 33, "priority-fencing-delay 'quick' is not a duration" },
        { "rsc_defaults migration-threshold=often", 6, 34, "migration-threshold 'often' is not a score" },
        { "op_defaults timeout=long", 6, 21, "timeout 'long' is not a duration" },
        { "node n1 attributes standby=sometimes", 6, 28, "standby 'sometimes' is not a boolean" },
        { "location l a 10: n1 resource-discovery=sometimes", 6, 40, "resource-discovery 'sometimes' is not one of always, never, exclusive" },

        // Whole-file validation.
        { "primitive a ocf:heartbeat:Dummy", 6, 11, "duplicate id 'a': already used by the primitive at line 1" },
        { "order pc a b", 6, 7, "duplicate id 'pc': already used by the clone at line 4" },
        { "node n1\nnode n1", 7, 6, "node 'n1' is declared twice (first at line 6)" },
        { "group g a ghost", 6, 11, "group 'g' refers to 'ghost', which is not defined (expected a primitive)" },
        { "clone c ghost", 6, 9, "clone 'c' refers to 'ghost', which is not defined (expected a primitive or group)" },
        { "colocation c inf: a ghost", 6, 21, "colocation 'c' refers to 'ghost', which is not defined (expected a primitive, group or clone)" },
        { "order o ghost:start a", 6, 9, "order 'o' refers to 'ghost', which is not defined" },
        { "location l ghost 10: n1", 6, 12, "location 'l' refers to 'ghost', which is not defined" },
        { "group g a b\ngroup h b", 7, 9, "group 'h' uses 'b', which is already in group 'g' (line 6); a resource has at most one parent" },
        { "group g a a", 6, 11, "group 'g' uses 'a', which is already in group 'g' (line 6)" },
        { "group g a\nclone c a", 7, 9, "clone 'c' uses 'a', which is already in group 'g' (line 6)" },
        { "clone c2 p", 6, 10, "clone 'c2' uses 'p', which is already in clone 'pc' (line 4)" },
        { "group g a pc", 6, 11, "group 'g' can only hold primitives, but 'pc' is a clone" },
        { "clone c2 pc", 6, 10, "clone 'c2' can only clone a primitive or a group, but 'pc' is a clone" },
        { "clone c3 o\norder o a b", 6, 10, "clone 'c3' refers to 'o', which is not defined" },
        { "colocation c inf: a a", 6, 21, "colocation 'c' names 'a' on both sides" },
        { "order o a:start a:stop", 6, 17, "order 'o' names 'a' on both sides" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_Error_ReportedAtLineAndColumn_AndNoConfig(string statement, int line, int column, string message)
    {
        var result = CrmParser.Parse(Base + statement + "\n", "bad.crm");

        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal($"bad.crm:{line}:{column}: {error.Message}", error.ToString());
        Assert.Throws<InvalidDataException>(() => result.GetConfigOrThrow());
    }

    [Fact]
    public void Parse_SeveralBadStatements_AllErrorsInFileOrderAndTheGoodOnesStillChecked()
    {
        var result = CrmParser.Parse("""
            primitive a ocf:heartbeat:Dummy meta target-role=Nope
            primitive b ocf:heartbeat:Dummy
            colocation c lots: a b
            group g a missing
            """, "many.crm");

        Assert.Null(result.Config);
        Assert.Equal([(1, 50), (3, 14)], result.Errors.Select(e => (e.Line, e.Column)));
    }

    [Fact]
    public void Parse_ReferencesAreCheckedOnlyWhenTheStatementsParsed()
    {
        // Validation across statements runs once the file is free of statement errors.
        var result = CrmParser.Parse("group g a missing\nprimitive a ocf:heartbeat:Dummy\n", "refs.crm");

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, 11), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_BrokenContinuedStatement_ReportedOnceAndTheNextStatementStillRead()
    {
        var result = CrmParser.Parse("primitive a ocf:heartbeat:Dummy \\\n  params x=\"open \\\n  op monitor interval=10s\nprimitive b lsb:x meta target-role=Bad\n", "broken.crm");

        Assert.Equal([(2, 12), (4, 36)], result.Errors.Select(e => (e.Line, e.Column)));
    }
}
