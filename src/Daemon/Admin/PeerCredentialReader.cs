using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ClusterD.Daemon.Admin;

/// <summary>Reads a Unix socket peer's credentials from the kernel (Linux getsockopt).</summary>
internal static partial class PeerCredentialReader
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Linux 4.13 and later; older kernels answer ENOPROTOOPT and the caller has only its primary group.</summary>
    private const int SoPeerGroups = 59;

    private const int ERange = 34;

    /// <summary>NGROUPS_MAX on Linux: no process has more supplementary groups than this.</summary>
    private const int MaxGroups = 65536;

    /// <summary>The peer's credentials, or null when the kernel will not tell (not a Unix socket).</summary>
    public static PeerCredentials? Read(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var fd = (int)socket.Handle;
        Span<int> ucred = stackalloc int[3]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        var length = sizeof(int) * 3;
        if (GetSockOpt(fd, SolSocket, SoPeerCred, ref MemoryMarshal.GetReference(ucred), ref length) != 0 || length != sizeof(int) * 3)
        {
            return null;
        }

        return new PeerCredentials(ucred[0], (uint)ucred[1], (uint)ucred[2], Groups(fd));
    }

    private static uint[] Groups(int fd)
    {
        // Most callers have a handful of groups; ERANGE tells the size needed (in bytes) in length.
        var count = 32;
        while (true)
        {
            var groups = new uint[count];
            var length = count * sizeof(uint);
            if (GetSockOpt(fd, SolSocket, SoPeerGroups, ref MemoryMarshal.GetReference(groups.AsSpan()), ref length) == 0)
            {
                return groups[..(length / sizeof(uint))];
            }

            if (Marshal.GetLastPInvokeError() != ERange || count >= MaxGroups)
            {
                return [];
            }

            count = Math.Clamp(Math.Max(length / sizeof(uint), count * 2), count + 1, MaxGroups);
        }
    }

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int fd, int level, int name, ref int value, ref int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int fd, int level, int name, ref uint value, ref int length);
}
