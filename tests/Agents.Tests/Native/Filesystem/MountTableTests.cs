using ClusterD.Agents.Native.Filesystem;

namespace ClusterD.Agents.Tests.Native.Filesystem;

public sealed class MountTableTests
{
    private const string Sample = """
        22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        98 22 7:3 / /srv/my\040data rw,relatime shared:50 - ext3 /dev/loop3 rw
        99 98 7:4 /sub /srv/my\040data rw,noatime - ext4 /dev/loop4 rw
        this line is not a mount
        100 22 0:55 / /srv/a\134b rw master:1 opt:2 - tmpfs tmp\011fs rw,size=1024k
        """;

    [Fact]
    public void Parse_DecodesFieldsAndOctalEscapes()
    {
        var table = MountTable.Parse(Sample);

        Assert.Equal(4, table.Entries.Length);
        var data = table.Entries[1];
        Assert.Equal(98, data.MountId);
        Assert.Equal(22, data.ParentId);
        Assert.Equal("7:3", data.Device);
        Assert.Equal("/srv/my data", data.MountPoint);
        Assert.Equal("ext3", data.FileSystemType);
        Assert.Equal("/dev/loop3", data.Source);
        var escaped = table.Entries[3];
        Assert.Equal(@"/srv/a\b", escaped.MountPoint);
        Assert.Equal("tmp\tfs", escaped.Source);
        Assert.Equal("tmpfs", escaped.FileSystemType);
    }

    [Fact]
    public void At_StackedMounts_ReturnsTheVisibleOne()
    {
        var top = MountTable.Parse(Sample).At("/srv/my data");

        Assert.NotNull(top);
        Assert.Equal(99, top.MountId);
        Assert.Equal("/sub", top.Root);
        Assert.Null(MountTable.Parse(Sample).At("/srv"));
    }

    [Fact]
    public void Below_ListsOnlyMountsInsideTheDirectory()
    {
        var table = MountTable.Parse("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 7:1 / /data rw - ext3 /dev/loop1 rw\n3 2 0:9 / /data/sub rw - tmpfs t rw\n4 1 0:9 / /database rw - tmpfs t rw\n");

        Assert.Equal(["/data/sub"], table.Below("/data").Select(e => e.MountPoint));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 2 3")]
    [InlineData("x 1 7:3 / /m rw - ext3 /dev/loop3 rw")]
    [InlineData("1 1 7-3 / /m rw - ext3 /dev/loop3 rw")]
    [InlineData("1 1 7:3 / /m rw ext3 /dev/loop3 rw no-separator")]
    public void Parse_MalformedLine_IsSkipped(string line)
    {
        Assert.Empty(MountTable.Parse(line).Entries);
    }

    [Fact]
    public void Read_LiveTable_HasTheRootMount()
    {
        Assert.Contains(MountTable.Read().Entries, e => e.MountPoint == "/");
    }
}
