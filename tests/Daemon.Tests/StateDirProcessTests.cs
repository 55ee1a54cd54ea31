using ClusterD.TestKit;
using ClusterD.TestKit.Processes;

namespace ClusterD.Daemon.Tests;

/// <summary>Damaged state files under <c>state_dir</c>: clusterd says which file and exits 1; it never aborts or hangs.</summary>
public sealed class StateDirProcessTests : IDisposable
{
    private readonly ConfigFuzz _files = new("clusterd-state-");

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("incarnation", "corrupt")]
    [InlineData("incarnation", "directory")]
    [InlineData("incarnation", "fifo")]
    [InlineData("incarnation", "dev-zero")]
    [InlineData("incarnation.tmp", "fifo")]
    [InlineData("ring-seq", "fifo")]
    public async Task Run_DamagedStateFile_Exits1NamingIt(string file, string damage)
    {
        var conf = Path.Combine(_files.Root, "clusterd.conf");
        var address = $"127.{200 + (Environment.ProcessId % 50)}.{Random.Shared.Next(1, 250)}.1";
        await File.WriteAllTextAsync(conf, _files.BaseText(address, "127.0.0.2", 19405), TestContext.Current.CancellationToken);
        var path = Path.Combine(_files.Root, "node1", file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (damage)
        {
            case "corrupt":
                await File.WriteAllTextAsync(path, "12x\n", TestContext.Current.CancellationToken);
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "fifo":
                ConfigFuzz.MakeFifo(path);
                break;
            default:
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
        }

        await using var process = ClusterdProcess.Start("node1", conf, Path.Combine(_files.Root, "node1", "clusterd.sock"));
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 1 && process.Output.Contains($"clusterd: {path}", StringComparison.Ordinal)
            || exit == 1 && process.Output.Contains("membership could not start", StringComparison.Ordinal) && process.Output.Contains(path, StringComparison.Ordinal),
            $"exit {exit}:\n{process.Output}");
    }
}
