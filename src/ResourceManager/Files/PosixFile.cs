using System.Runtime.InteropServices;

namespace ClusterD.ResourceManager.Files;

/// <summary>
/// The Linux calls the bounded readers need and .NET lacks: open(2) with O_NONBLOCK, so a FIFO
/// never blocks the open, and statx(2), whose buffer layout is the same on every architecture, for
/// the type of what was opened. The flag values are the same on x86-64 and arm64.
/// </summary>
internal static partial class PosixFile
{
    public const int Enoent = 2;

    private const int ORdOnly = 0;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;

    /// <summary>statx(2) AT_EMPTY_PATH: the descriptor itself.</summary>
    private const int AtEmptyPath = 0x1000;

    /// <summary>statx(2) STATX_TYPE | STATX_SIZE.</summary>
    private const uint StatxTypeAndSize = 0x1 | 0x200;

    private const int FileTypeMask = 0xF000;

    /// <summary>Opens <paramref name="path"/> for reading without waiting for a FIFO's writer; the descriptor, or -errno.</summary>
    public static int OpenForReading(string path) =>
        Open(path, ORdOnly | ONoCtty | ONonBlock | OCloExec) is var fd and >= 0 ? fd : -Marshal.GetLastPInvokeError();

    /// <summary>Type and size of an open descriptor; false with the errno when statx fails.</summary>
    public static bool TryStat(int fd, out PosixFileType type, out long size, out int errno) =>
        TryStat(fd, "", AtEmptyPath, out type, out size, out errno);

    /// <summary>Type and size of what <paramref name="path"/> names, following symbolic links.</summary>
    public static bool TryStat(string path, out PosixFileType type, out long size, out int errno) =>
        TryStat(-100 /* AT_FDCWD */, path, 0, out type, out size, out errno);

    /// <summary>The C library's text for <paramref name="errno"/>, starting lower-case as the rest of a diagnostic does.</summary>
    public static string Describe(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    private static bool TryStat(int dirFd, string path, int flags, out PosixFileType type, out long size, out int errno)
    {
        var buffer = default(StatxBuffer);
        if (Statx(dirFd, path, flags, StatxTypeAndSize, ref buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            (type, size) = (PosixFileType.Other, 0);
            return false;
        }

        errno = 0;
        type = (buffer.Mode & FileTypeMask) switch
        {
            0x8000 => PosixFileType.Regular,
            0x4000 => PosixFileType.Directory,
            0x2000 => PosixFileType.CharacterDevice,
            0x6000 => PosixFileType.BlockDevice,
            0x1000 => PosixFileType.Fifo,
            0xC000 => PosixFileType.Socket,
            _ => PosixFileType.Other,
        };
        size = (long)Math.Min(buffer.Size, long.MaxValue);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, ref StatxBuffer buffer);

    /// <summary>struct statx (linux/stat.h): 256 bytes, stx_mode at 28, stx_size at 40.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }
}
