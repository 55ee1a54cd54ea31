using System.Globalization;

namespace ClusterD.Fencing.Tests.TestSupport;

/// <summary>What /proc says about a process, for asserting that a stopped agent is really gone.</summary>
internal static class ProcFs
{
    /// <summary>True while <paramref name="pid"/> runs (exists and is not a zombie).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The pid a test script wrote to <paramref name="path"/>.</summary>
    public static int ReadPid(string path) => int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
}
