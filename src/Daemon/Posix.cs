using System.Runtime.InteropServices;

namespace ClusterD.Daemon;

/// <summary>The POSIX calls .NET lacks: sending a chosen signal, the umask, the effective uid, and lstat's file type.</summary>
internal static partial class Posix
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const int ENoEnt = 2;

    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Sets the file mode creation mask and returns the previous one.</summary>
    public static int SetUmask(int mask) => Umask(mask);

    public static uint EffectiveUserId => GetEUid();

    /// <summary>
    /// The type and inode of <paramref name="path"/> itself (a symbolic link is reported, not followed).
    /// statx rather than lstat: its struct has one layout on every architecture.
    /// </summary>
    /// <exception cref="IOException">The path cannot be examined (other than not existing).</exception>
    public static (FileKind Kind, ulong Inode) Lstat(string path)
    {
        // struct statx: stx_mode is a __u16 at offset 28, stx_ino a __u64 at offset 32; the struct is 256 bytes.
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxIno, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENoEnt ? (FileKind.Missing, 0UL) : throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var mode = BitConverter.ToUInt16(buffer[28..]);
        var inode = BitConverter.ToUInt64(buffer[32..]);
        var kind = (mode & 0xF000) switch
        {
            0xC000 => FileKind.Socket,
            0xA000 => FileKind.SymbolicLink,
            0x8000 => FileKind.Regular,
            0x6000 => FileKind.BlockDevice,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            _ => FileKind.Fifo,
        };
        return (kind, inode);
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial int Umask(int mask);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEUid();

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, ref byte buffer);
}
