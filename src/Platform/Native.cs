using System.Runtime.InteropServices;

namespace ClusterD.Platform;

/// <summary>
/// The Linux calls .NET lacks for inspecting and reading files. The flag values are the same on x86-64
/// and arm64 (asm-generic fcntl.h, linux/stat.h), and <c>struct statx</c> has one layout everywhere.
/// </summary>
internal static partial class Native
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;

    /// <summary>STATX_BASIC_STATS: type, mode, link count, owner, group, times, inode, size, blocks.</summary>
    public const uint StatxBasicStats = 0x7ff;

    /// <summary><c>struct statx</c> is 256 bytes on every architecture.</summary>
    public const int StatxBytes = 256;

    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OAppend = 0x400;
    public const int ONoCtty = 0x100;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;

    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int ENxIo = 6;
    public const int EAgain = 11;
    public const int ENotDir = 20;

    /// <summary>The C library's text for <paramref name="errno"/>, as it says it: "Permission denied".</summary>
    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary><paramref name="text"/> starting lower-case, as the rest of a diagnostic does: "permission denied".</summary>
    public static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(SafeHandle fd);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(SafeHandle fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(SafeHandle fd, nuint request, int* argument);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
