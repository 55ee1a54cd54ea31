using System.Text;
using ClusterD.Platform.Files;

namespace ClusterD.Platform.Tests.Files;

public sealed class RegularFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("regular-file-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Read_RegularFile_ReturnsAllItsBytes()
    {
        var path = Write("ok.bin", [0xEF, 0xBB, 0xBF, .. "héllo\n"u8]);

        Assert.Equal([0xEF, 0xBB, 0xBF, .. "héllo\n"u8], RegularFile.Read(path, 1024));
    }

    [Fact]
    public void Read_ExactlyAtTheLimit_IsRead()
    {
        var path = Write("at-limit.txt", Encoding.ASCII.GetBytes(new string('x', 16)));

        Assert.Equal(16, RegularFile.Read(path, 16).Length);
    }

    [Fact]
    public void Read_EmptyFile_IsEmpty()
    {
        Assert.Empty(RegularFile.Read(Write("empty", []), 16));
    }

    [Fact]
    public void Read_LargerThanTheFirstBuffer_IsReadWhole()
    {
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();

        Assert.Equal(bytes, RegularFile.Read(Write("large", bytes), bytes.Length));
    }

    [Fact]
    public void Read_OneBytePastTheLimit_IsRefused()
    {
        var path = Write("past-limit.txt", Encoding.ASCII.GetBytes(new string('x', 17)));

        var e = Assert.Throws<FileReadException>(() => RegularFile.Read(path, 16));

        Assert.Equal((FileReadProblem.TooLarge, 16L, "is larger than 16 bytes"), (e.Problem, e.Limit, e.Message));
    }

    [Fact]
    public void Read_SizeReportedAsZero_LimitStillHoldsWhileReading()
    {
        // /proc files are regular files whose stat size is 0: only counting while reading catches them,
        // as it catches a file that grows after its size was checked.
        var e = Assert.Throws<FileReadException>(() => RegularFile.Read("/proc/self/status", 16));

        Assert.Equal(FileReadProblem.TooLarge, e.Problem);
    }

    [Fact]
    public void Read_SparseFileOverTheLimit_IsRefusedBeforeReading()
    {
        var path = Path.Combine(_dir.FullName, "sparse");
        using (var sparse = new FileStream(path, FileMode.CreateNew))
        {
            sparse.SetLength(100L * 1024 * 1024);
        }

        var e = Assert.Throws<FileReadException>(() => RegularFile.Read(path, 8 * 1024 * 1024));

        Assert.Equal(FileReadProblem.TooLarge, e.Problem);
    }

    [Theory]
    [InlineData("/dev/zero", FileKind.CharacterDevice, "is a character device, not a regular file")]
    [InlineData("/dev/null", FileKind.CharacterDevice, "is a character device, not a regular file")]
    [InlineData("/", FileKind.Directory, "is a directory, not a regular file")]
    public void Read_NotARegularFile_IsRefusedNamingWhatItIs(string path, FileKind kind, string message)
    {
        var e = Assert.Throws<FileReadException>(() => RegularFile.Read(path, 16));

        Assert.Equal((FileReadProblem.NotRegular, kind, message), (e.Problem, e.Kind, e.Message));
    }

    [Theory]
    [InlineData("/no/such/file", FileReadProblem.Missing)]
    [InlineData("", FileReadProblem.NotAFileName)]
    [InlineData("a\0b", FileReadProblem.NotAFileName)]
    public void Read_NoFile_SaysWhy(string path, FileReadProblem problem)
    {
        Assert.Equal(problem, Assert.Throws<FileReadException>(() => RegularFile.Read(path, 16)).Problem);
    }

    [Fact]
    public async Task Read_FifoWithoutWriter_IsRefusedWithoutBlocking()
    {
        var fifo = FileTestSupport.MakeFifo(Path.Combine(_dir.FullName, "fifo"));

        var read = Task.Run(() => Record.Exception(() => RegularFile.Read(fifo, 16)), Ct);
        var e = Assert.IsType<FileReadException>(await read.WaitAsync(TimeSpan.FromSeconds(20), Ct));

        Assert.Equal((FileReadProblem.NotRegular, "is a FIFO, not a regular file"), (e.Problem, e.Message));
    }

    [Fact]
    public void Read_SymlinkToDevice_IsRefusedByWhatItNames()
    {
        var link = Path.Combine(_dir.FullName, "link");
        File.CreateSymbolicLink(link, "/dev/zero");

        Assert.Equal(FileKind.CharacterDevice, Assert.Throws<FileReadException>(() => RegularFile.Read(link, 16)).Kind);
    }

    [Fact]
    public void Read_SymlinkToRegularFile_ReadsTheTarget()
    {
        var target = Write("target", "key"u8.ToArray());
        var link = Path.Combine(_dir.FullName, "link");
        File.CreateSymbolicLink(link, target);

        Assert.Equal("key"u8.ToArray(), RegularFile.Read(link, 16));
    }

    [Fact]
    public void Read_Check_SeesTheOpenedFileBeforeReadingAndCanRefuseIt()
    {
        var path = Write("private", "secret"u8.ToArray());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        FileFacts? seen = null;

        var e = Assert.Throws<InvalidOperationException>(() => RegularFile.Read(path, 16, facts =>
        {
            seen = facts;
            throw new InvalidOperationException("refused");
        }));

        Assert.Equal("refused", e.Message);
        Assert.Equal(
            (FileKind.Regular, ProcessIdentity.EffectiveUserId, UnixFileMode.UserRead | UnixFileMode.UserWrite, 6L),
            (seen!.Value.Kind, seen.Value.OwnerId, seen.Value.Mode, seen.Value.Length));
    }

    [Fact]
    public void Read_CheckRunsBeforeTheSizeLimit()
    {
        var path = Write("large", new byte[64]);

        Assert.Throws<InvalidOperationException>(() => RegularFile.Read(path, 16, _ => throw new InvalidOperationException()));
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
