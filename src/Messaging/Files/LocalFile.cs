using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.Messaging.Files;

/// <summary>
/// Reads local files that an administrator names (configuration, cluster keys) without trusting the
/// name: only a regular file is read, never more than a stated number of bytes, and the checks are
/// made on the file actually opened (<c>fstat</c> of the descriptor), so a path swapped between the
/// check and the open cannot smuggle in a FIFO or a device. Symbolic links are followed: the rules
/// apply to the file they lead to.
/// </summary>
public static partial class LocalFile
{
    // Linux values, the same on x86-64 and arm64 (asm-generic): fcntl.h and linux/stat.h.
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int OpenReadOnlyNoCttyNonBlockCloseOnExec = 0x100 | 0x800 | 0x80000;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary><c>struct statx</c> is 256 bytes on every architecture; the offsets below are its fields.</summary>
    private const int StatxBytes = 256;

    /// <summary>The user this process acts as (<c>geteuid(2)</c>).</summary>
    public static uint EffectiveUserId => GetEffectiveUserId();

    /// <summary>The facts about <paramref name="path"/>, or null when nothing exists there.</summary>
    /// <exception cref="IOException">The path cannot be examined (permission, too long, NUL byte).</exception>
    public static FileFacts? Stat(string path, bool followLinks)
    {
        RequireUsablePath(path);
        Span<byte> buffer = stackalloc byte[StatxBytes];
        int result;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                result = Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, p);
            }
        }

        if (result == 0)
        {
            return Decode(buffer);
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is NoSuchFile or NotADirectory ? null : throw Error(errno, "cannot be examined");
    }

    /// <summary>
    /// Reads all of the regular file <paramref name="path"/>, at most <paramref name="maxBytes"/> bytes.
    /// <paramref name="check"/> sees the opened file's facts before any byte is read and may throw.
    /// </summary>
    /// <exception cref="IOException">Missing, not a regular file, larger than the bound, or unreadable; the message says which.</exception>
    public static byte[] ReadRegular(string path, int maxBytes, Action<FileFacts>? check = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);

        // Checked before opening too: opening a device can act (a watchdog arms, a tape rewinds), a FIFO would block.
        var before = Stat(path, followLinks: true) ?? throw new FileNotFoundException("no such file", path);
        RequireRegular(before);
        var fd = Open(path, OpenReadOnlyNoCttyNonBlockCloseOnExec);
        if (fd < 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), "cannot be opened");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var facts = StatOpened(fd);
        RequireRegular(facts);
        check?.Invoke(facts);

        // One byte more than allowed tells "exactly at the bound" from "larger"; the size from stat is not
        // trusted (files under /proc and /sys report 0 or 4096 whatever they hold).
        var buffer = new byte[checked(maxBytes + 1)];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        if (total > maxBytes)
        {
            throw new IOException($"is larger than {maxBytes} bytes");
        }

        return buffer[..total];
    }

    private static void RequireRegular(FileFacts facts)
    {
        if (facts.Kind != FileKind.Regular)
        {
            throw new IOException($"is {facts.Describe()}, not a regular file");
        }
    }

    private static void RequireUsablePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // The C string would end at the NUL: a different file than the one named.
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new IOException("the path contains a NUL character");
        }
    }

    private static FileFacts StatOpened(int fd)
    {
        Span<byte> buffer = stackalloc byte[StatxBytes];
        int result;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                result = Statx(fd, "", AtEmptyPath, StatxBasicStats, p);
            }
        }

        return result == 0 ? Decode(buffer) : throw Error(Marshal.GetLastPInvokeError(), "cannot be examined");
    }

    private static FileFacts Decode(ReadOnlySpan<byte> statx)
    {
        var uid = MemoryMarshal.Read<uint>(statx[20..]);
        var mode = MemoryMarshal.Read<ushort>(statx[28..]);
        var size = MemoryMarshal.Read<ulong>(statx[40..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xA000 => FileKind.SymbolicLink,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileFacts(kind, uid, (UnixFileMode)(mode & 0xFFF), (long)Math.Min(size, long.MaxValue));
    }

    private static IOException Error(int errno, string what) => new($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}");

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
