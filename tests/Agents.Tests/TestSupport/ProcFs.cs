using System.Globalization;

namespace ClusterD.Agents.Tests.TestSupport;

/// <summary>What /proc says about a process, for asserting that a killed process is really gone.</summary>
internal static class ProcFs
{
    /// <summary>The one-letter state of <paramref name="pid"/>, or null when it has no /proc entry (reaped).</summary>
    public static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True while <paramref name="pid"/> runs (exists and is not a zombie).</summary>
    public static bool IsRunning(int pid) => State(pid) is { } s && s != 'Z';

    /// <summary>Reads a pid a test script wrote, waiting briefly for the file to appear.</summary>
    public static async Task<int> ReadPidFileAsync(string path, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            await Task.Delay(25, cancellationToken);
        }

        throw new TimeoutException($"no pid in {path}");
    }

    /// <summary>Kills a process a test left behind, ignoring that it may be gone.</summary>
    public static void KillQuietly(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
