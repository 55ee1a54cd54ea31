using System.Globalization;

namespace ClusterD.Agents.Processes;

/// <summary>What <c>/proc</c> says about one process: alive or not, state, parent, program, command line.</summary>
internal static class ProcessInfo
{
    /// <summary>
    /// True while <paramref name="pid"/> exists and is not a finished zombie. After SIGKILL the
    /// thread-group leader of a multi-threaded server turns zombie before its other threads have
    /// exited, and the files (sockets, locks) close only with the last thread: a zombie leader
    /// that still lists other tasks is alive.
    /// </summary>
    public static bool IsAlive(int pid) => pid > 0 && State(pid) is { } state && (state is not ('Z' or 'X') || OtherTasksRemain(pid));

    /// <summary>The one-letter state from <c>/proc/PID/stat</c>, or null when there is no such process.</summary>
    public static char? State(int pid)
    {
        var stat = ReadProc(pid, "stat");
        var close = stat?.LastIndexOf(')') ?? -1;
        return close > 0 && close + 2 < stat!.Length ? stat[close + 2] : null;
    }

    /// <summary>The parent pid from <c>/proc/PID/stat</c>, or 0.</summary>
    public static int ParentPid(int pid)
    {
        var stat = ReadProc(pid, "stat");
        var close = stat?.LastIndexOf(')') ?? -1;
        if (close < 0)
        {
            return 0;
        }

        var fields = stat![(close + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent) ? parent : 0;
    }

    /// <summary>The program name (<c>/proc/PID/comm</c>), or null.</summary>
    public static string? Comm(int pid) => ReadProc(pid, "comm")?.TrimEnd('\n');

    /// <summary>The command line with arguments separated by blanks, for messages.</summary>
    public static string CommandLine(int pid) =>
        ReadProc(pid, "cmdline") is { Length: > 0 } cmdline ? cmdline.TrimEnd('\0').Replace('\0', ' ') : Comm(pid) ?? "?";

    private static bool OtherTasksRemain(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task").Length > 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? ReadProc(int pid, string entry)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/{entry}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
