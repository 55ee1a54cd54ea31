namespace ClusterD.Agents.Native;

/// <summary>Settings shared by the native agents.</summary>
public sealed record NativeAgentOptions
{
    /// <summary>
    /// Where native agents keep state files (Dummy's and Stateful's). On tmpfs by default, like
    /// <c>HA_RSCTMP</c>: after a reboot nothing is running, so no state may survive it.
    /// </summary>
    public string StateDirectory { get; init; } = "/run/clusterd/agents";

    /// <summary>
    /// Where native agents look for the programs they run (<c>mount</c>, <c>fsck</c>, <c>drbdadm</c>,
    /// <c>drbdsetup</c>), like <c>PATH</c>, which is also what those programs get as their PATH.
    /// Default: this process's PATH followed by the usual system directories.
    /// </summary>
    public string ToolPath { get; init; } = DefaultToolPath();

    /// <summary>DRBD 8.4's status file, read when <c>drbdsetup status --json</c> is not available.</summary>
    public string DrbdProcFile { get; init; } = "/proc/drbd";

    private static string DefaultToolPath()
    {
        var inherited = Environment.GetEnvironmentVariable("PATH");
        const string System = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return string.IsNullOrEmpty(inherited) ? System : $"{inherited}:{System}";
    }
}
