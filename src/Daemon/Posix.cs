using System.Runtime.InteropServices;

namespace ClusterD.Daemon;

/// <summary>The POSIX calls .NET lacks that only the daemon needs: sending a chosen signal and the umask.</summary>
internal static partial class Posix
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Sets the file mode creation mask and returns the previous one.</summary>
    public static int SetUmask(int mask) => Umask(mask);

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial int Umask(int mask);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
