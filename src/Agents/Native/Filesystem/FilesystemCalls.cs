using System.Runtime.InteropServices;

namespace ClusterD.Agents.Native.Filesystem;

/// <summary>The Linux calls the Filesystem agent needs and .NET lacks.</summary>
internal static partial class FilesystemCalls
{
    public const int Ebusy = 16;
    public const int Einval = 22;
    public const int Enoent = 2;

    /// <summary>open(2) O_PATH | O_CLOEXEC (the same values on x86-64 and arm64).</summary>
    private const int OPathCloexec = 0x200000 | 0x80000;

    /// <summary>umount2(2) without flags; 0, or the errno.</summary>
    public static int Unmount(string target) => Umount2(target, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// The mount id of what <paramref name="path"/> refers to (e.g. <c>/proc/PID/cwd</c>), found by
    /// opening it with O_PATH and reading the descriptor's <c>mnt_id</c>; -1 when it cannot be opened.
    /// </summary>
    public static int MountIdOf(string path)
    {
        var fd = Open(path, OPathCloexec);
        if (fd < 0)
        {
            return -1;
        }

        try
        {
            return MountUsers.ReadMountId($"/proc/self/fdinfo/{fd}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
