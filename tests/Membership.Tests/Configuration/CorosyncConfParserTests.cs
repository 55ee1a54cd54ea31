using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

public sealed class CorosyncConfParserTests
{
    private const string File = "test.conf";

    [Fact]
    public void Parse_SectionsAndEntries_BuildsTreeWithLinesInFileOrder()
    {
        var root = CorosyncConfParser.Parse("""
            top: 1
            totem {
                token: 1000
                interface {
                    mcastport: 5405
                }
                transport: udpu
            }
            nodelist {
            }
            """, File);

        Assert.Equal("", root.Name);
        Assert.Equal(0, root.Line);
        Assert.Equal([new ConfEntry("top", "1", 1)], root.Entries);
        Assert.Equal(["totem", "nodelist"], root.Sections.Select(s => s.Name));
        var totem = root.Sections[0];
        Assert.Equal(2, totem.Line);
        Assert.Equal([new ConfEntry("token", "1000", 3), new ConfEntry("transport", "udpu", 7)], totem.Entries);
        var iface = Assert.Single(totem.Sections);
        Assert.Equal(("interface", 4), (iface.Name, iface.Line));
        Assert.Equal([new ConfEntry("mcastport", "5405", 5)], iface.Entries);
        Assert.Equal(9, root.Sections[1].Line);
        Assert.Empty(root.Sections[1].Entries);
        Assert.Empty(root.Sections[1].Sections);
    }

    [Fact]
    public void Parse_CommentsAndBlankLines_SkippedButCounted()
    {
        var root = CorosyncConfParser.Parse("# header\n\n   # indented comment\ntotem {\n\n    token: 5 # not a comment\n}\n", File);

        var totem = Assert.Single(root.Sections);
        Assert.Equal(4, totem.Line);
        Assert.Equal([new ConfEntry("token", "5 # not a comment", 6)], totem.Entries);
    }

    [Fact]
    public void Parse_ValueWithColonsAndSpaces_KeepsRestOfLineTrimmed()
    {
        var root = CorosyncConfParser.Parse("logfile:   /var/log/a:b c  \nempty:\nspaced  :  x", File);

        Assert.Equal(
            [new ConfEntry("logfile", "/var/log/a:b c", 1), new ConfEntry("empty", "", 2), new ConfEntry("spaced", "x", 3)],
            root.Entries);
    }

    [Fact]
    public void Parse_CrLfLineEndings_SameTreeAsLf()
    {
        var root = CorosyncConfParser.Parse("totem {\r\n    token: 1000\r\n}\r\n", File);

        var totem = Assert.Single(root.Sections);
        Assert.Equal([new ConfEntry("token", "1000", 2)], totem.Entries);
    }

    [Fact]
    public void Parse_BraceWithoutSpace_OpensSection()
    {
        var root = CorosyncConfParser.Parse("totem{\ntoken: 1\n}", File);

        Assert.Equal("totem", Assert.Single(root.Sections).Name);
    }

    [Fact]
    public void Parse_RepeatedSectionsAndKeys_AllKeptInOrder()
    {
        var root = CorosyncConfParser.Parse("nodelist {\nnode {\nnodeid: 1\n}\nnode {\nnodeid: 2\nnodeid: 3\n}\n}", File);

        var nodes = root.SectionsNamed("nodelist").Single().SectionsNamed("node").ToArray();
        Assert.Equal(2, nodes.Length);
        Assert.Equal(["2", "3"], nodes[1].Entries.Select(e => e.Value));
    }

    [Fact]
    public void Parse_EightNestedSections_Accepted()
    {
        var text = string.Concat(Enumerable.Range(1, 8).Select(i => $"s{i} {{\n")) + string.Concat(Enumerable.Repeat("}\n", 8));

        var root = CorosyncConfParser.Parse(text, File);

        var depth = 0;
        for (var s = root; s.Sections.Count > 0; s = s.Sections[0])
        {
            depth++;
        }

        Assert.Equal(8, depth);
    }

    [Fact]
    public void Parse_NineNestedSections_FailsAtNinthWithItsName()
    {
        var text = string.Concat(Enumerable.Range(1, 9).Select(i => $"s{i} {{\n")) + string.Concat(Enumerable.Repeat("}\n", 9));

        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse(text, File));

        Assert.Equal((File, 9, "s9"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_StrayClosingBrace_FailsAtItsLine()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse("totem {\n}\n}\n", File));

        Assert.Equal((File, 3, "}"), (e.File, e.Line, e.Key));
        Assert.Equal("test.conf:3: }: closing brace without an open section", e.Message);
    }

    [Fact]
    public void Parse_UnclosedSection_FailsAtItsOpeningLine()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse("# c\ntotem {\n    token: 1\n", File));

        Assert.Equal((File, 2, "totem"), (e.File, e.Line, e.Key));
        Assert.Contains("not closed", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedInnerSection_NamesTheInnermostOpenSection()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse("nodelist {\n  node {\n    nodeid: 1\n}\n  node {\n", File));

        Assert.Equal((File, 5, "node"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_BraceWithoutName_Fails()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse("\n{\n}", File));

        Assert.Equal((File, 2, ""), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_SectionNameWithSpace_Fails()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse("totem x {\n}", File));

        Assert.Equal((File, 1, "totem x"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_LineWithoutColon_FailsNamingTheLine()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse("totem {\n    token 1000\n}", File));

        Assert.Equal((File, 2, "token 1000"), (e.File, e.Line, e.Key));
        Assert.Contains("expected 'key: value'", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LineStartingWithColon_Fails()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse(": value", File));

        Assert.Equal((File, 1, ": value"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_InvalidKeyName_FailsNamingTheKey()
    {
        var e = Assert.Throws<ConfigException>(() => CorosyncConfParser.Parse("\n\nto ken: 1", File));

        Assert.Equal((File, 3, "to ken"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Parse_EmptyText_GivesEmptyRoot()
    {
        var root = CorosyncConfParser.Parse("", File);

        Assert.Empty(root.Entries);
        Assert.Empty(root.Sections);
    }
}
