using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.Platform.Files;

/// <summary>
/// <c>statx(2)</c> on a path or on an open descriptor. statx rather than stat: its struct has one layout on
/// every architecture.
/// </summary>
public static class FileStat
{
    /// <summary>
    /// The facts about <paramref name="path"/>, or null when nothing exists there. With
    /// <paramref name="followLinks"/> false a symbolic link is reported as one, not followed.
    /// </summary>
    /// <exception cref="IOException">The path cannot be examined (permission, too long, NUL byte); the message says why.</exception>
    public static FileFacts? Of(string path, bool followLinks)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // The C string would end at the NUL: a different file than the one named.
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new IOException("cannot be examined: the path contains a NUL character");
        }

        if (TryOf(path, followLinks, out var facts, out var errno))
        {
            return facts;
        }

        return errno is Native.ENoEnt or Native.ENotDir ? null : throw Unexaminable(errno);
    }

    /// <summary>statx of a path already checked for a NUL; false with the errno.</summary>
    internal static bool TryOf(string path, bool followLinks, out FileFacts facts, out int errno)
    {
        var ok = Call(Native.AtFdCwd, path, followLinks ? 0 : Native.AtSymlinkNoFollow, out facts) == 0;
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    /// <summary>The facts about the file <paramref name="handle"/> has open: the file actually opened, whatever its name now names.</summary>
    /// <exception cref="IOException">statx failed; the message says why.</exception>
    public static FileFacts Of(SafeFileHandle handle) =>
        TryOf(handle, out var facts, out var errno) ? facts : throw Unexaminable(errno);

    /// <summary>statx of an open descriptor; false with the errno.</summary>
    internal static bool TryOf(SafeFileHandle handle, out FileFacts facts, out int errno)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var ok = Call((int)handle.DangerousGetHandle(), "", Native.AtEmptyPath, out facts) == 0;
            errno = ok ? 0 : Marshal.GetLastPInvokeError();
            return ok;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static IOException Unexaminable(int errno) => new($"cannot be examined: {Native.ErrorText(errno)}");

    private static int Call(int dirFd, string path, int flags, out FileFacts facts)
    {
        Span<byte> buffer = stackalloc byte[Native.StatxBytes];
        int result;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                result = Native.Statx(dirFd, path, flags, Native.StatxBasicStats, p);
            }
        }

        facts = result == 0 ? Decode(buffer) : default;
        return result;
    }

    /// <summary>stx_uid at 20, stx_mode (u16) at 28, stx_ino at 32, stx_size at 40.</summary>
    private static FileFacts Decode(ReadOnlySpan<byte> statx)
    {
        var uid = MemoryMarshal.Read<uint>(statx[20..]);
        var mode = MemoryMarshal.Read<ushort>(statx[28..]);
        var inode = MemoryMarshal.Read<ulong>(statx[32..]);
        var size = MemoryMarshal.Read<ulong>(statx[40..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0xC000 => FileKind.Socket,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Other,
        };
        return new FileFacts(kind, uid, (UnixFileMode)(mode & 0xFFF), (long)Math.Min(size, long.MaxValue), inode);
    }
}
