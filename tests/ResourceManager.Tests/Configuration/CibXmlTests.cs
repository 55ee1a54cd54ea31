using ClusterD.CibKit;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>How deep a CIB may nest (<see cref="CibXml.MaxDepth"/>), at the exact boundary.</summary>
public sealed class CibXmlTests
{
    // ScaleCluster.Nested(n) puts n <x> levels under cib > configuration > resources > primitive > instance_attributes.
    private const int Wrapping = 5;

    [Fact]
    public void Import_NestedExactlyToTheLimit_IsRead()
    {
        var imported = CibImporter.Import(ScaleCluster.Nested(CibXml.MaxDepth - Wrapping), "deep.xml");

        Assert.True(imported.Succeeded, string.Join("; ", imported.Errors));
        Assert.Equal("db", Assert.Single(imported.Config!.Primitives).Id);
    }

    [Fact]
    public void Import_OneLevelBeyondTheLimit_RefusedNamingFilePositionAndPath()
    {
        var cib = ScaleCluster.Nested(CibXml.MaxDepth - Wrapping + 1);

        var imported = CibImporter.Import(cib, "deep.xml");

        Assert.False(imported.Succeeded);
        var error = Assert.Single(imported.Errors);
        var column = cib.IndexOf("<x>", StringComparison.Ordinal) + ((CibXml.MaxDepth - Wrapping) * "<x>".Length) + 2; // the 257th element's name
        Assert.Equal(
            $"deep.xml:1:{column}: elements nest deeper than 256 levels (a CIB is about 10 deep): "
            + "cib > configuration > resources > primitive > instance_attributes > x > ... (248 more) > x > x > x; refused",
            error.ToString());
    }

    [Fact]
    public void Import_HundredThousandLevels_RefusedAtTheSameElement()
    {
        var imported = CibImporter.Import(ScaleCluster.Nested(100_000), "deep.xml");

        var error = Assert.Single(imported.Errors);
        Assert.Contains("elements nest deeper than 256 levels", error.Message, StringComparison.Ordinal);
        Assert.Contains("(248 more)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_BadXmlBelowTheLimit_StillReportedAsNotWellFormed()
    {
        var imported = CibImporter.Import("<cib><configuration></cib>", "bad.xml");

        Assert.StartsWith("bad.xml:1:", Assert.Single(imported.Errors).ToString(), StringComparison.Ordinal);
        Assert.Contains("not well-formed XML", imported.Errors[0].Message, StringComparison.Ordinal);
    }
}
