using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Cli;

/// <summary>
/// The real clusterctl binary on files that once made it read without end or hang: a device that
/// never ends, a FIFO nobody writes to, a FIFO as an output. Each must exit 1 at once with a
/// message naming the path (ProcessRunner kills and fails a run after a minute).
/// </summary>
public sealed class ClusterctlFileInputProcessTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-files-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("configure", "validate")]
    [InlineData("configure", "import-cib")]
    [InlineData("simulate", "--config")]
    public async Task EndlessDevice_ExitsOneWithoutReadingIt(string verb, string option)
    {
        var run = await Clusterctl(verb, option, "/dev/zero");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/dev/zero: not a regular file (a character device)", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("configure", "show")]
    [InlineData("simulate", "--config")]
    public async Task FifoWithoutWriter_ExitsOneWithoutBlocking(string verb, string option)
    {
        var fifo = await MakeFifoAsync("input");

        var run = await Clusterctl(verb, option, fifo);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{fifo}: not a regular file (a FIFO)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusOutFifo_IsRefusedBeforeTheSimulationRuns()
    {
        var config = Path.Combine(_dir.FullName, "cluster.crm");
        await File.WriteAllTextAsync(config, "node 1: hadb01\nprimitive p ocf:pacemaker:Dummy\n", Ct);
        var fifo = await MakeFifoAsync("out");

        var run = await Clusterctl("simulate", "--config", config, "--run", "--status-out", fifo);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains($"--status-out {fifo}: not a regular file (a FIFO)", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static Task<ProcessRunner.Result> Clusterctl(params string[] args) =>
        ProcessRunner.RunDotnetAsync(RepoPaths.Clusterctl, args, Ct);

    private async Task<string> MakeFifoAsync(string name)
    {
        var path = Path.Combine(_dir.FullName, name);
        var made = await ProcessRunner.RunAsync("mkfifo", [path], Ct);
        Assert.Equal(0, made.ExitCode);
        return path;
    }
}
