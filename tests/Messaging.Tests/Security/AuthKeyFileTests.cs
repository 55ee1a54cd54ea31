using System.Text;
using ClusterD.Messaging.Security;

namespace ClusterD.Messaging.Tests.Security;

public sealed class AuthKeyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clusterd-authkey-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static byte[] Bytes(int length, byte seed = 0) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();

    private static async Task WriteAsync(string path, byte[] content) =>
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);

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
        Assert.False(AuthKeyFile.IsTooOpen(path));
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
    [InlineData(AuthKey.MinSecretBytes)]
    [InlineData(AuthKey.MaxSecretBytes)]
    public async Task Read_RawKeyAtSizeLimit_Accepted(int length)
    {
        var path = PathOf("raw");
        await WriteAsync(path, Bytes(length));

        Assert.Equal(0, AuthKeyFile.Read(path).Id);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AuthKey.MinSecretBytes - 1)]
    [InlineData(AuthKey.MaxSecretBytes + 1)]
    public async Task Read_RawKeyOutsideSizeLimits_ThrowsNamingPathAndSize(int length)
    {
        var path = PathOf("raw");
        await WriteAsync(path, Bytes(length, seed: 1));

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"has {length} secret bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MagicWithTooShortSecret_ThrowsNamingPath()
    {
        var path = PathOf("short");
        await WriteAsync(path, [.. "CDK1"u8, 9, .. Bytes(AuthKey.MinSecretBytes - 1)]);

        var e = Assert.Throws<AuthKeyFileException>(() => AuthKeyFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.Contains($"has {AuthKey.MinSecretBytes - 1} secret bytes", e.Message, StringComparison.Ordinal);
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
        Assert.IsType<FileNotFoundException>(e.InnerException);
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
    public async Task IsTooOpen_Mode_ReportsGroupOrOtherAccess(UnixFileMode mode, bool tooOpen)
    {
        var path = PathOf("key");
        await WriteAsync(path, Bytes(256));
        File.SetUnixFileMode(path, mode);

        Assert.Equal(tooOpen, AuthKeyFile.IsTooOpen(path));
    }
}
