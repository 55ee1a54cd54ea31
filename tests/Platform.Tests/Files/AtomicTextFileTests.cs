using ClusterD.Platform.Files;

namespace ClusterD.Platform.Tests.Files;

public sealed class AtomicTextFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("atomic-text-file-");

    [Fact]
    public void TryWrite_NewFile_WritesItAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_dir.FullName, "out.json");

        Assert.True(AtomicTextFile.TryWrite(path, "{}\n", out var error), error);

        Assert.Equal("{}\n", File.ReadAllText(path));
        Assert.Equal(["out.json"], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void TryWrite_ExistingFile_ReplacesItWholeAndKeepsItsMode()
    {
        var path = Path.Combine(_dir.FullName, "out.json");
        File.WriteAllText(path, new string('x', 10_000));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.True(AtomicTextFile.TryWrite(path, "short", out _));

        Assert.Equal("short", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void TryWrite_SymlinkToRegularFile_ReplacesTheTargetAndKeepsTheLink()
    {
        var target = Path.Combine(_dir.FullName, "target.json");
        var link = Path.Combine(_dir.FullName, "link.json");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);

        Assert.True(AtomicTextFile.TryWrite(link, "new", out _));

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void TryWrite_Fifo_IsRefusedAndStaysAFifo()
    {
        var fifo = FileTestSupport.MakeFifo(Path.Combine(_dir.FullName, "fifo"));

        Assert.False(AtomicTextFile.TryWrite(fifo, "x", out var error));

        Assert.Equal("not a regular file (a FIFO); only a regular file is written", error);
        Assert.Equal("fifo", FileTestSupport.TypeOf(fifo));
    }

    [Theory]
    [InlineData("/dev/null", "not a regular file (a character device); only a regular file is written")]
    [InlineData("/tmp", "not a regular file (a directory); only a regular file is written")]
    [InlineData("", "not a file name")]
    public void TryWrite_NotARegularFile_IsRefused(string path, string expected)
    {
        Assert.False(AtomicTextFile.TryWrite(path, "x", out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryWrite_MissingDirectory_SaysSoWithoutThrowing()
    {
        var path = Path.Combine(_dir.FullName, "no", "such", "dir", "out.json");

        Assert.False(AtomicTextFile.TryWrite(path, "x", out var error));
        Assert.StartsWith("cannot write: ", error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
