using System.Text;
using ClusterD.Messaging.Security;

namespace ClusterD.Messaging.Tests.Security;

public sealed class AuthKeyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clusterd-authkey-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static byte[] Bytes(int length, byte seed = 0) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();

    /// <summary>Writes a key file as an administrator should: mode 0600.</summary>
    private static async Task WriteAsync(string path, byte[] content)
    {
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Generate_NewPath_WritesMode0600WithMagicIdAndSecret()
    {
        var path = PathOf("authkey");

        AuthKeyFile.Generate(path, 5);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(4 + 1 + AuthKey.GeneratedSecretBytes, bytes.Length);
        Assert.Equal("CDK1", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(5, bytes[4]);
    }

    [Fact]
    public void Generate_TwoFiles_HaveDifferentSecrets()
    {
        AuthKeyFile.Generate(PathOf("a"), 1);
        AuthKeyFile.Generate(PathOf("b"), 1);

        Assert.NotEqual(AuthKeyFile.Read(PathOf("a")).HeartbeatKey.ToArray(), AuthKeyFile.Read(PathOf("b")).HeartbeatKey.ToArray());
    }

    [Fact]
    public async Task Generate_ExistingFile_RefusesAndKeepsContent()
    {
        var path = PathOf("authkey");
        var original = Bytes(256);
        await WriteAsync(path, original);

        Assert.ThrowsAny<IOException>(() => AuthKeyFile.Generate(path, 1));

        Assert.Equal(original, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Read_GeneratedFile_KeepsIdAndSecret()
    {
        var path = PathOf("authkey");
        AuthKeyFile.Generate(path, 42);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        var key = AuthKeyFile.Read(path);

        Assert.Equal(42, key.Id);
        Assert.Equal(new AuthKey(42, bytes.AsSpan(5)).HeartbeatKey.ToArray(), key.HeartbeatKey.ToArray());
        Assert.Equal(key.HeartbeatKey.ToArray(), AuthKeyFile.Read(path).HeartbeatKey.ToArray());
    }

    [Fact]
    public async Task Read_Raw256ByteCorosyncKey_HasIdZeroAndWholeFileAsSecret()
    {
        var path = PathOf("corosync-authkey");
        var raw = Bytes(256, seed: 3);
        await WriteAsync(path, raw);

        var key = AuthKeyFile.Read(path);

        Assert.Equal(0, key.Id);
        Assert.Equal(new AuthKey(0, raw).HeartbeatKey.ToArray(), key.HeartbeatKey.ToArray());
    }

    [Theory]
    [InlineData(AuthKeyFile.MinRawBytes)]
    [InlineData(AuthKeyFile.MaxRawBytes)]
    public async Task Read_RawKeyAtSizeLimit_Accepted(int length)
    {
        var path = PathOf("raw");
        await WriteAsync(path, Bytes(length));

        Assert.Equal(0, AuthKeyFile.Read(path).Id);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AuthKey.MinSecretBytes)]
    [InlineData(AuthKeyFile.MinRawBytes - 1)]
    [InlineData(AuthKeyFile.MaxRawBytes + 1)]
    [InlineData(1 << 20)]
    public async Task Read_RawKeyOutsideSizeLimits_ThrowsNamingPathAndSize(int length)
    {
        var path = PathOf("raw");
        await WriteAsync(path, Bytes(length, seed: 1));

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(length > AuthKeyFile.MaxRawBytes ? "is larger than" : $"has {length} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MagicWithTooShortSecret_ThrowsNamingPath()
    {
        var path = PathOf("short");
        await WriteAsync(path, [.. "CDK1"u8, 9, .. Bytes(AuthKey.MinSecretBytes - 1)]);

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.Contains($"has {4 + 1 + AuthKey.MinSecretBytes - 1} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MagicAndIdWithoutSecret_ThrowsNamingPath()
    {
        var path = PathOf("empty-secret");
        await WriteAsync(path, [.. "CDK1"u8, 9]);

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Equal(path, e.Path);
    }

    [Fact]
    public async Task Read_MagicOnlyWithoutIdByte_ThrowsAuthKeyFileExceptionNamingPath()
    {
        // A truncated 4-byte file "CDK1" must be reported like any other short key (DESIGN §4: hostile input
        // gives a clear error), not escape as an ArgumentOutOfRangeException from slicing past the end.
        var path = PathOf("magic-only");
        await WriteAsync(path, "CDK1"u8.ToArray());

        var e = Record.Exception(() => AuthKeyFile.Read(path));

        var fileException = Assert.IsType<AuthKeyFileException>(e);
        Assert.Equal(path, fileException.Path);
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingPathAndKeygenCommand()
    {
        var path = PathOf("missing");

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.Contains($"clusterd keygen -k {path}", e.Message, StringComparison.Ordinal);
        Assert.Equal(ClusterD.Platform.Files.FileReadProblem.Missing, Assert.IsType<ClusterD.Platform.Files.FileReadException>(e.InnerException).Problem);
    }

    [Fact]
    public void Read_Directory_ThrowsNamingPath()
    {
        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(_dir));

        Assert.Equal(_dir, e.Path);
        Assert.NotNull(e.InnerException);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, false)]
    [InlineData(UnixFileMode.UserRead, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, true)]
    public void Read_Mode_RefusesGroupOrOtherAccessNamingModeAndPath(UnixFileMode mode, bool refused)
    {
        var path = PathOf("key");
        AuthKeyFile.Generate(path, 3);
        File.SetUnixFileMode(path, mode);

        var e = Record.Exception(() => AuthKeyFile.Read(path));

        if (!refused)
        {
            Assert.Null(e);
            return;
        }

        var keyError = Assert.IsType<AuthKeyFileException>(e);
        Assert.Equal(path, keyError.Path);
        Assert.Contains($"readable or writable by group or others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')})", keyError.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OwnedByAnotherUser_RefusedNamingOwner()
    {
        Assert.SkipUnless(ClusterD.Platform.ProcessIdentity.EffectiveUserId == 0, "changing a file's owner needs root");
        var path = PathOf("key");
        AuthKeyFile.Generate(path, 3);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        Assert.Equal(0, Chown(path, 4242, 4242));

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Contains("owned by uid 4242", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SymbolicLinkToPrivateKey_ReadsTheKeyItLeadsTo()
    {
        var path = PathOf("key");
        AuthKeyFile.Generate(path, 9);
        var link = PathOf("link");
        File.CreateSymbolicLink(link, path);

        Assert.Equal(AuthKeyFile.Read(path).HeartbeatKey.ToArray(), AuthKeyFile.Read(link).HeartbeatKey.ToArray());
    }

    [Theory]
    [InlineData("/dev/zero", "is a character device, not a regular file")]
    [InlineData("/dev/null", "is a character device, not a regular file")]
    public void Read_Device_RefusedWithoutReading(string path, string problem)
    {
        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Fifo_RefusedWithoutBlocking()
    {
        var path = PathOf("fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", ["-m", "600", path]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // No writer ever opens the FIFO: a blocking open would never return.
        var read = Task.Run(() => Record.Exception(() => AuthKeyFile.Read(path)), TestContext.Current.CancellationToken);
        var e = await read.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Contains("is a FIFO, not a regular file", Assert.IsType<AuthKeyFileException>(e).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TextFileOfKeySize_RefusedAsText()
    {
        var path = PathOf("passwd");
        var text = string.Concat(Enumerable.Range(0, 30).Select(i => $"user{i}:x:{1000 + i}:{1000 + i}::/home/user{i}:/bin/sh\n"));
        await WriteAsync(path, Encoding.ASCII.GetBytes(text));

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Contains("is text, not a key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ZeroBytesOfKeySize_RefusedAsNotRandom()
    {
        var path = PathOf("zeros");
        await WriteAsync(path, new byte[256]);

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Contains("does not hold random bytes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AuthKeyFile.OwnFormatBytes - 1)]
    [InlineData(AuthKeyFile.OwnFormatBytes + 1)]
    public async Task Read_OwnFormatOfWrongLength_RefusedNamingExactLength(int length)
    {
        var path = PathOf("cdk1");
        await WriteAsync(path, [.. "CDK1"u8, 1, .. Bytes(length - 5)]);

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Contains($"has {length} bytes; a clusterd key file (CDK1) has exactly {AuthKeyFile.OwnFormatBytes}", e.Message, StringComparison.Ordinal);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int owner, int group);
}
