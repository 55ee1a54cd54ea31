using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ClusterD.Platform;
using ClusterD.Platform.Files;

namespace ClusterD.Daemon;

/// <summary>
/// Preparing, securing and removing the admin Unix socket path. Only a socket is ever removed:
/// whatever else the path names (a regular file, a device, a directory, a symbolic link) is left
/// alone and reported, because a wrong <c>admin_socket</c> must not cost the administrator a file.
/// </summary>
internal static class UnixSocketFile
{
    /// <summary>Mode of the socket once serving: anyone may connect, each call is authorised by the caller's credentials.</summary>
    public const UnixFileMode ServingMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>
    /// Creates the parent directory and removes a stale socket. Returns why the path cannot be used
    /// (it exists and is not a socket), or null; throws when a live daemon answers on it.
    /// </summary>
    public static string? Prepare(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        if (FileStat.Of(path, followLinks: false) is not { } existing)
        {
            return null;
        }

        if (existing.Kind != FileKind.Socket)
        {
            return $"{path} exists and is not a socket ({Describe(existing.Kind)}); clusterd removes only a stale socket there";
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new InvalidOperationException($"another clusterd is already serving {path}");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // A socket nobody listens on: a leftover of a crashed daemon.
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"{path} exists and cannot be probed ({e.SocketErrorCode}); remove it if no clusterd runs");
            }
        }

        File.Delete(path);
        return null;
    }

    /// <summary>The inode of the socket this daemon created at <paramref name="path"/> (for <see cref="DeleteIfOurs"/>), or null.</summary>
    public static ulong? SocketInode(string path) =>
        FileStat.Of(path, followLinks: false) is { Kind: FileKind.Socket } socket ? socket.Inode : null;

    /// <summary>Removes <paramref name="path"/> at shutdown only if it is still the socket this daemon created.</summary>
    public static void DeleteIfOurs(string path, ulong? inode)
    {
        try
        {
            if (inode is not null && FileStat.Of(path, followLinks: false) is { Kind: FileKind.Socket } socket && socket.Inode == inode.Value)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // Left for the next start to clean up.
        }
    }

    /// <summary>Sets <see cref="ServingMode"/> and, when given, the owning group.</summary>
    public static string? Secure(string path, string? group)
    {
        File.SetUnixFileMode(path, ServingMode);
        if (string.IsNullOrEmpty(group))
        {
            return null;
        }

        var gid = GroupId(group);
        if (gid is null)
        {
            return $"no group named '{group}'";
        }

        return Accounts.ChangeOwner(path, uid: null, gid) ? null : $"chown failed with errno {Marshal.GetLastPInvokeError()}";
    }

    /// <summary>The id of <paramref name="group"/> (a group name, or a number), or null when there is no such group.</summary>
    public static uint? GroupId(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : Accounts.GroupId(group);
    }

    /// <summary>What the path is; a symbolic link is judged as itself, never by what it names.</summary>
    private static string Describe(FileKind kind) =>
        kind == FileKind.SymbolicLink ? $"{kind.Describe()}, not followed" : kind.Describe();
}
