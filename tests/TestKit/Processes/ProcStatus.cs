using System.Globalization;

namespace ClusterD.TestKit.Processes;

/// <summary>Reads a process's memory figures from <c>/proc/PID/status</c>.</summary>
public static class ProcStatus
{
    /// <summary>Resident memory (VmRSS) in bytes.</summary>
    public static long ResidentBytes(int pid) => Kilobytes(pid, "VmRSS") * 1024;

    /// <summary>A <c>kB</c> field of the status file, e.g. VmRSS or VmHWM.</summary>
    public static long Kilobytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
