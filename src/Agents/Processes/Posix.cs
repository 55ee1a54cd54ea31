using System.Runtime.InteropServices;

namespace ClusterD.Agents.Processes;

/// <summary>The POSIX calls the process-group runner needs and .NET lacks.</summary>
internal static partial class Posix
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>errno ESRCH: no such process (or process group).</summary>
    public const int Esrch = 3;

    /// <summary>errno ECHILD: no child to wait for.</summary>
    public const int Echild = 10;

    /// <summary>prctl(2) PR_SET_CHILD_SUBREAPER (Linux 3.4).</summary>
    private const int PrSetChildSubreaper = 36;

    /// <summary>waitpid(2) WNOHANG.</summary>
    private const int WNoHang = 1;

    /// <summary>Sends <paramref name="signal"/> to the whole process group <paramref name="pgid"/>; false when the group is gone.</summary>
    public static bool SignalGroup(int pgid, int signal) => Kill(-pgid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process.</summary>
    public static bool SignalProcess(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Makes this process the reaper of its orphaned descendants instead of PID 1.</summary>
    public static bool BecomeSubreaper() => Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    /// <summary>
    /// Reaps one exited child in process group <paramref name="pgid"/> without blocking: its pid,
    /// 0 when members remain but none has exited, -1 when this process has no child in the group.
    /// Never call it while a member is a child that <see cref="System.Diagnostics.Process"/> still
    /// tracks: the runtime fails fast when its own child was reaped behind its back.
    /// </summary>
    public static int ReapOneInGroup(int pgid) => WaitPid(-pgid, out _, WNoHang);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
