using System.Globalization;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>How a server process on the resource's datadir was found.</summary>
internal enum ServerEvidence
{
    /// <summary>The configured pid file names it.</summary>
    PidFile,

    /// <summary>This agent launched it (its pid file may not be written yet: InnoDB recovery).</summary>
    Launched,

    /// <summary>It holds the InnoDB or Aria lock in the datadir, but neither of the above names it.</summary>
    DatadirLock,
}

/// <summary>
/// A live server process found for a resource, and the /proc reading behind it.
/// </summary>
internal sealed record ServerProcess(int Pid, ServerEvidence Evidence, string Command)
{
    /// <summary>Process names a MySQL or MariaDB server runs under (<c>/proc/PID/comm</c>).</summary>
    private static readonly string[] ServerNames = ["mariadbd", "mysqld", "mysqld_safe", "mariadbd-safe", "mariadb-safe"];

    /// <summary>
    /// True while <paramref name="pid"/> exists and is not a finished zombie. After SIGKILL the
    /// thread-group leader of a multi-threaded server turns zombie before its other threads have
    /// exited, and the files (sockets, locks) close only with the last thread: a zombie leader
    /// that still lists other tasks is alive.
    /// </summary>
    public static bool IsAlive(int pid) => pid > 0 && State(pid) is { } state && (state is not ('Z' or 'X') || OtherTasksRemain(pid));

    /// <summary>True when <paramref name="pid"/> is alive and runs a MySQL/MariaDB server program.</summary>
    public static bool IsServer(int pid) => IsAlive(pid) && Comm(pid) is { } comm && ServerNames.Contains(comm);

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

    /// <summary>The pid written in <paramref name="pidFile"/>, or null when absent or unreadable.</summary>
    public static int? ReadPidFile(string pidFile)
    {
        try
        {
            var text = File.ReadAllText(pidFile).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

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
