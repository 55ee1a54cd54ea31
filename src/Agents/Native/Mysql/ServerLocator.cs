using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// Finds the server process that uses a resource's datadir, from three kinds of evidence in this
/// order: the pid file, the InnoDB/Aria record locks inside the datadir, and the process this
/// agent launched. The locks catch what a pid file misses: a server still in InnoDB recovery
/// before it writes its pid file, or one started by hand with other paths (field notes §4.18).
/// </summary>
internal static class ServerLocator
{
    /// <summary>
    /// Files a running server keeps fcntl-locked for its whole life: InnoDB's system tablespace
    /// (<c>os_file_lock</c>) and Aria's control file. Checked on MariaDB 10.11 through /proc/locks.
    /// </summary>
    private static readonly string[] LockedFiles = ["ibdata1", "aria_log_control"];

    /// <summary>Program names the launched process has before it execs the server.</summary>
    private static readonly string[] LauncherNames = ["setsid", "sh"];

    public static ServerProcess? Find(MysqlSettings settings, int? launched)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (ServerProcess.ReadPidFile(settings.PidFile) is { } fromFile && ServerProcess.IsServer(fromFile))
        {
            return new ServerProcess(fromFile, ServerEvidence.PidFile, ProcessInfo.CommandLine(fromFile));
        }

        if (DatadirLockHolder(settings.DataDirectory) is { } holder)
        {
            var ours = launched is { } pid && (holder == pid || ProcessInfo.ParentPid(holder) == pid);
            return new ServerProcess(holder, ours ? ServerEvidence.Launched : ServerEvidence.DatadirLock, ProcessInfo.CommandLine(holder));
        }

        if (launched is { } started && ProcessInfo.IsAlive(started)
            && ProcessInfo.Comm(started) is { } comm && (ServerProcess.IsServer(started) || LauncherNames.Contains(comm)))
        {
            return new ServerProcess(started, ServerEvidence.Launched, ProcessInfo.CommandLine(started));
        }

        return null;
    }

    /// <summary>The live process holding a lock on one of the datadir's control files, or null.</summary>
    public static int? DatadirLockHolder(string dataDirectory)
    {
        foreach (var file in LockedFiles)
        {
            if (MysqlLibC.LockHolder(Path.Combine(dataDirectory, file)) is > 0 and var pid && ProcessInfo.IsAlive(pid))
            {
                return pid;
            }
        }

        return null;
    }
}
