using System.Diagnostics;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native.Filesystem;

/// <summary>A real ext3 file system on a loop device over a sparse image in a scratch directory, and a mount point beside it.</summary>
internal sealed class LoopExt3 : IDisposable
{
    private readonly TempDirectory _dir = new("clusterd-fs-");

    public LoopExt3(string fileSystem = "ext3")
    {
        var image = _dir.Combine("disk.img");
        using (var file = File.Create(image))
        {
            file.SetLength(32L * 1024 * 1024);
        }

        Run("mkfs." + fileSystem, "-q", "-F", image);
        Device = Run("losetup", "--find", "--show", image).Trim();
        MountPoint = _dir.Combine("mnt");
    }

    /// <summary>The loop device, e.g. <c>/dev/loop3</c>.</summary>
    public string Device { get; }

    /// <summary>Where tests mount it (not created: the agent creates it).</summary>
    public string MountPoint { get; }

    public Dictionary<string, string> Parameters(string fileSystem = "ext3") => new()
    {
        ["device"] = Device,
        ["directory"] = MountPoint,
        ["fstype"] = fileSystem,
    };

    /// <summary>Runs a program to completion and returns its stdout; throws with its stderr when it fails.</summary>
    public static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}: {error.Result}");
        }

        return output.Result;
    }

    public void Dispose()
    {
        // Whatever a failed test left mounted on this directory goes first, then the loop device and the image.
        for (var i = 0; i < 5 && File.ReadAllText("/proc/self/mountinfo").Contains($" {MountPoint} ", StringComparison.Ordinal); i++)
        {
            try
            {
                Run("umount", "-l", MountPoint);
            }
            catch (InvalidOperationException)
            {
            }
        }

        try
        {
            Run("losetup", "-d", Device);
        }
        catch (InvalidOperationException)
        {
        }

        _dir.Dispose();
    }
}
