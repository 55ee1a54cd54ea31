using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ClusterD.Daemon;

/// <summary>Preparing and securing the admin Unix socket path.</summary>
internal static partial class UnixSocketFile
{
    /// <summary>Creates the parent directory and removes a stale socket; refuses when a live daemon answers on it.</summary>
    public static void Prepare(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        if (!File.Exists(path))
        {
            return;
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
                // Nobody listens: a leftover of a crashed daemon.
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"{path} exists and cannot be probed ({e.SocketErrorCode}); remove it if no clusterd runs");
            }
        }

        File.Delete(path);
    }

    /// <summary>Sets mode 0660 and, when given, the owning group (so members of that group may use clusterctl).</summary>
    public static string? Secure(string path, string? group)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        if (string.IsNullOrEmpty(group))
        {
            return null;
        }

        var gid = GroupId(group);
        if (gid is null)
        {
            return $"no group named '{group}' in /etc/group";
        }

        return Chown(path, -1, gid.Value) == 0 ? null : $"chown failed with errno {Marshal.GetLastPInvokeError()}";
    }

    private static int? GroupId(string group)
    {
        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], out var gid))
            {
                return gid;
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);
}
