using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// The libc call the MySQL agent needs and .NET lacks: who holds a POSIX record lock (InnoDB and
/// Aria lock their control files with fcntl); accounts and chown are <see cref="ClusterD.Platform.Accounts"/>.
/// The struct layout is glibc's on LP64 Linux (x86_64 and arm64 alike).
/// </summary>
internal static partial class MysqlLibC
{
    /// <summary>fcntl(2) F_GETLK with 64-bit off_t (the same value on x86_64 and arm64).</summary>
    private const int FGetLk = 5;
    private const short FWrLck = 1;
    private const short FUnLck = 2;

    /// <summary>
    /// The pid of a process holding a POSIX lock that conflicts with a write lock on the whole of
    /// <paramref name="path"/>: 0 when nobody does, -1 for an open-file-description lock (no
    /// owner pid), null when the file cannot be opened or tested. Locks held by this process are
    /// never reported (fcntl semantics); the agent's process holds none.
    /// </summary>
    public static int? LockHolder(string path)
    {
        SafeFileHandle handle;
        try
        {
            // FileShare.ReadWrite: .NET then takes no flock of its own, and flock and fcntl locks do not interact anyway.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        using (handle)
        {
            var probe = new Flock { Type = FWrLck, Whence = 0, Start = 0, Length = 0 };
            if (Fcntl(handle, FGetLk, ref probe) != 0)
            {
                return null;
            }

            return probe.Type == FUnLck ? 0 : probe.Pid;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle fd, int command, ref Flock flock);

}
