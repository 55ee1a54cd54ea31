using System.Net.Sockets;
using ClusterD.Platform.Files;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.Platform.Tests.Files;

public sealed class FileStatTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("file-stat-");
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _dir.Delete(recursive: true);
    }

    [Theory]
    [InlineData("/dev/null", FileKind.CharacterDevice, "a character device")]
    [InlineData("/", FileKind.Directory, "a directory")]
    [InlineData("/proc/self/status", FileKind.Regular, "a regular file")]
    public void Of_Path_TellsTheKind(string path, FileKind kind, string description)
    {
        var facts = FileStat.Of(path, followLinks: true);

        Assert.Equal(kind, facts?.Kind);
        Assert.Equal(description, kind.Describe());
    }

    [Fact]
    public void Of_Fifo_IsAFifo()
    {
        var fifo = FileTestSupport.MakeFifo(Path.Combine(_dir.FullName, "fifo"));

        Assert.Equal(FileKind.Fifo, FileStat.Of(fifo, followLinks: false)?.Kind);
        Assert.Equal("a FIFO", FileKind.Fifo.Describe());
    }

    [Fact]
    public void Of_Socket_IsASocketWithItsInode()
    {
        var path = Path.Combine(_dir.FullName, "s.sock");
        Bind(path);

        var first = FileStat.Of(path, followLinks: false);
        File.Delete(path);
        Bind(path);
        var second = FileStat.Of(path, followLinks: false);

        Assert.Equal((FileKind.Socket, FileKind.Socket), (first?.Kind, second?.Kind));
        Assert.NotEqual(first?.Inode, second?.Inode);
    }

    [Fact]
    public void Of_Symlink_IsReportedOrFollowedAsAsked()
    {
        var link = Path.Combine(_dir.FullName, "link");
        File.CreateSymbolicLink(link, "/dev/null");

        Assert.Equal(FileKind.SymbolicLink, FileStat.Of(link, followLinks: false)?.Kind);
        Assert.Equal(FileKind.CharacterDevice, FileStat.Of(link, followLinks: true)?.Kind);
        Assert.Equal("a symbolic link", FileKind.SymbolicLink.Describe());
    }

    [Fact]
    public void Of_RegularFile_GivesOwnerModeLengthAndInode()
    {
        var path = Path.Combine(_dir.FullName, "f");
        File.WriteAllText(path, "12345");
        File.SetUnixFileMode(path, UnixFileMode.UserRead);

        var facts = FileStat.Of(path, followLinks: true)!.Value;

        Assert.Equal((FileKind.Regular, ProcessIdentity.EffectiveUserId, UnixFileMode.UserRead, 5L), (facts.Kind, facts.OwnerId, facts.Mode, facts.Length));
        Assert.NotEqual(0UL, facts.Inode);
    }

    [Fact]
    public void Of_Handle_DescribesTheOpenedFileEvenAfterItsNameMoved()
    {
        var path = Path.Combine(_dir.FullName, "f");
        File.WriteAllText(path, "12345");
        using SafeFileHandle handle = File.OpenHandle(path);
        var byName = FileStat.Of(path, followLinks: true)!.Value;
        File.Delete(path);
        Directory.CreateDirectory(path);

        var opened = FileStat.Of(handle);

        Assert.Equal((FileKind.Regular, byName.Inode, 5L), (opened.Kind, opened.Inode, opened.Length));
    }

    [Theory]
    [InlineData("/no/such/file")]
    [InlineData("/dev/null/below-a-device")]
    public void Of_Nothing_IsNull(string path)
    {
        Assert.Null(FileStat.Of(path, followLinks: false));
    }

    [Fact]
    public void Of_NulInPath_IsRefusedNotTruncated()
    {
        Assert.Throws<IOException>(() => FileStat.Of("/dev/null\0/etc/passwd", followLinks: true));
    }

    private void Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(path));
    }
}
