using System.Net.Sockets;

namespace ClusterD.Daemon.Tests;

public sealed class UnixSocketFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterd-sock-");
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _dir.Delete(recursive: true);
    }

    [Fact]
    public void Prepare_CharacterDevice_RefusedAndLeftAlone()
    {
        Assert.Equal("/dev/null exists and is not a socket (a character device); clusterd removes only a stale socket there", UnixSocketFile.Prepare("/dev/null"));
        Assert.True(File.Exists("/dev/null"));
    }

    [Fact]
    public void Prepare_RegularFile_RefusedAndKept()
    {
        var path = Path.Combine(_dir.FullName, "authkey");
        File.WriteAllText(path, "secret");

        Assert.Equal($"{path} exists and is not a socket (a regular file); clusterd removes only a stale socket there", UnixSocketFile.Prepare(path));
        Assert.Equal("secret", File.ReadAllText(path));
    }

    [Fact]
    public void Prepare_SymlinkToStaleSocket_NotFollowedNotRemoved()
    {
        var target = Path.Combine(_dir.FullName, "real.sock");
        StaleSocket(target);
        var link = Path.Combine(_dir.FullName, "link.sock");
        File.CreateSymbolicLink(link, target);

        Assert.Equal($"{link} exists and is not a socket (a symbolic link, not followed); clusterd removes only a stale socket there", UnixSocketFile.Prepare(link));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.NotNull(UnixSocketFile.SocketInode(target));
    }

    [Fact]
    public void Prepare_Directory_Refused()
    {
        Assert.Equal($"{_dir.FullName} exists and is not a socket (a directory); clusterd removes only a stale socket there", UnixSocketFile.Prepare(_dir.FullName));
    }

    [Fact]
    public void Prepare_StaleSocket_Removed()
    {
        var path = Path.Combine(_dir.FullName, "clusterd.sock");
        StaleSocket(path);

        Assert.Null(UnixSocketFile.Prepare(path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void DeleteIfOurs_ReplacedByAnotherFile_Kept()
    {
        var path = Path.Combine(_dir.FullName, "clusterd.sock");
        StaleSocket(path);
        var ours = UnixSocketFile.SocketInode(path);
        File.Delete(path);
        File.WriteAllText(path, "not ours");

        UnixSocketFile.DeleteIfOurs(path, ours);

        Assert.Equal("not ours", File.ReadAllText(path));
    }

    [Fact]
    public void DeleteIfOurs_OurSocket_Removed()
    {
        var path = Path.Combine(_dir.FullName, "clusterd.sock");
        StaleSocket(path);

        UnixSocketFile.DeleteIfOurs(path, UnixSocketFile.SocketInode(path));

        Assert.False(File.Exists(path));
    }

    /// <summary>
    /// A socket file nobody listens on, as a crashed daemon leaves it: bound and never listening (a
    /// connect is refused). Kept open until the end, since closing it would remove the file.
    /// </summary>
    private void StaleSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(path));
    }
}
