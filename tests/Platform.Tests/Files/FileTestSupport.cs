using System.Diagnostics;

namespace ClusterD.Platform.Tests.Files;

/// <summary>Special files for the file tests, made with the real tools.</summary>
internal static class FileTestSupport
{
    public static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>stat(1)'s name for the file type, following links: "regular file", "fifo", "directory".</summary>
    public static string TypeOf(string path)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, ArgumentList = { "-L", "-c", "%F", path } };
        using var stat = Process.Start(start)!;
        var type = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return type;
    }
}
