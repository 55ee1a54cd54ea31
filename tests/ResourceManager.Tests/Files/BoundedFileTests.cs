using System.Text;
using ClusterD.ResourceManager.Files;

namespace ClusterD.ResourceManager.Tests.Files;

public sealed class BoundedFileTests : IDisposable
{
    private static readonly InputFileKind Tiny = new("a test file", 16);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("bounded-file-");

    [Fact]
    public void TryReadText_RegularFile_ReadsItWithoutTheByteOrderMark()
    {
        var path = Write("ok.txt", [0xEF, 0xBB, 0xBF, .. "héllo\n"u8]);

        Assert.True(BoundedFile.TryReadText(path, InputFileKind.Configuration, out var text, out var error), error);
        Assert.Equal("héllo\n", text);
    }

    [Fact]
    public void TryReadText_ExactlyAtTheLimit_IsRead()
    {
        var path = Write("at-limit.txt", Encoding.ASCII.GetBytes(new string('x', 16)));

        Assert.True(BoundedFile.TryReadText(path, Tiny, out var text, out _));
        Assert.Equal(16, text.Length);
    }

    [Fact]
    public void TryReadText_OneBytePastTheLimit_IsRefused()
    {
        var path = Write("past-limit.txt", Encoding.ASCII.GetBytes(new string('x', 17)));

        Assert.False(BoundedFile.TryReadText(path, Tiny, out _, out var error));
        Assert.Equal("larger than the 16 bytes limit for a test file", error);
    }

    [Fact]
    public void TryReadText_SizeReportedAsZero_LimitStillHoldsWhileReading()
    {
        // /proc files are regular files whose stat size is 0: only counting while reading catches them,
        // as it catches a file that grows after its size was checked.
        Assert.False(BoundedFile.TryReadText("/proc/self/status", Tiny, out _, out var error));
        Assert.Equal("larger than the 16 bytes limit for a test file", error);
    }

    [Fact]
    public void TryReadText_SparseFileOverTheLimit_IsRefusedBeforeReading()
    {
        var path = Path.Combine(_dir.FullName, "sparse");
        using (var sparse = new FileStream(path, FileMode.CreateNew))
        {
            sparse.SetLength(100L * 1024 * 1024);
        }

        Assert.False(BoundedFile.TryReadText(path, InputFileKind.Configuration, out _, out var error));
        Assert.Equal("larger than the 8 MiB limit for a configuration", error);
    }

    [Theory]
    [InlineData("/dev/zero", "not a regular file (a character device)")]
    [InlineData("/dev/null", "not a regular file (a character device)")]
    [InlineData("/", "not a regular file (a directory)")]
    [InlineData("/no/such/file", "no such file")]
    [InlineData("", "not a file name")]
    public void TryReadText_NotARegularFile_IsRefused(string path, string expected)
    {
        Assert.False(BoundedFile.TryReadText(path, InputFileKind.Status, out var text, out var error));
        Assert.Equal(expected, error);
        Assert.Equal("", text);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
