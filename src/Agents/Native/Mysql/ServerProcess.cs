using System.Globalization;
using ClusterD.Agents.Processes;
using ClusterD.Platform.Files;

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

/// <summary>A live server process found for a resource (the /proc reading is <see cref="ProcessInfo"/>).</summary>
internal sealed record ServerProcess(int Pid, ServerEvidence Evidence, string Command)
{
    /// <summary>Process names a MySQL or MariaDB server runs under (<c>/proc/PID/comm</c>).</summary>
    private static readonly string[] ServerNames = ["mariadbd", "mysqld", "mysqld_safe", "mariadbd-safe", "mariadb-safe"];

    /// <summary>True when <paramref name="pid"/> is alive and runs a MySQL/MariaDB server program.</summary>
    public static bool IsServer(int pid) => ProcessInfo.IsAlive(pid) && ProcessInfo.Comm(pid) is { } comm && ServerNames.Contains(comm);

    /// <summary>The pid written in <paramref name="pidFile"/>, or null when absent or unreadable.</summary>
    public static int? ReadPidFile(string pidFile)
    {
        try
        {
            // A pid is a few digits: anything longer, or not a regular file, is not a pid file.
            var text = System.Text.Encoding.ASCII.GetString(RegularFile.Read(pidFile, 64)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
