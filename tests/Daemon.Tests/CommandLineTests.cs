using ClusterD.TestKit.Processes;

namespace ClusterD.Daemon.Tests;

/// <summary>The real clusterd binary's command line: keygen, usage errors and configuration errors.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clusterd-cli-").FullName;

    [Fact]
    public async Task Keygen_NewFile_WritesMode0600KeyWithId()
    {
        var path = Path.Combine(_dir, "authkey");

        var result = await Run("keygen", "-k", path, "--key-id", "7");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(7, ClusterD.Messaging.Security.AuthKeyFile.Read(path).Id);
        Assert.Contains("key id 7", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_ExistingFile_RefusesAndKeepsIt()
    {
        var path = Path.Combine(_dir, "authkey");
        await File.WriteAllTextAsync(path, "keep me", TestContext.Current.CancellationToken);

        var result = await Run("keygen", "-k", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("keep me", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("keygen")]
    [InlineData("--bogus", "x")]
    [InlineData("--config")]
    [InlineData("demo", "--mysql", "--bogus", "x")]
    [InlineData("demo", "--mysql", "--token")]
    public async Task BadArguments_ExitWithUsage64(params string[] args)
    {
        var result = await Run(args);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("usage: clusterd", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConfigWithBadToken_Exits78NamingFileLineAndKey()
    {
        var path = Path.Combine(_dir, "clusterd.conf");
        await File.WriteAllTextAsync(path, "totem {\n    token: soon\n}\nnodelist {\n    node {\n        nodeid: 1\n        ring0_addr: 127.0.0.1\n    }\n}\n",
            TestContext.Current.CancellationToken);

        var result = await Run("--config", path);

        Assert.Equal(78, result.ExitCode);
        Assert.Contains($"{path}:2: totem.token: 'soon' is not a whole number", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingKeyFile_Exits78SuggestingKeygen()
    {
        var path = Path.Combine(_dir, "clusterd.conf");
        await File.WriteAllTextAsync(path, ClusterD.TestKit.TestConfigs.Text([["127.0.0.1"]], stateDirRoot: _dir),
            TestContext.Current.CancellationToken);

        var result = await Run("--config", path, "--node", "node1");

        Assert.Equal(78, result.ExitCode);
        Assert.Contains("clusterd keygen -k", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("directory")]
    [InlineData("corrupt")]
    public async Task Run_UnusableRingSeqState_ExitsWithFailureInsteadOfServingWithoutMembership(string damage)
    {
        var key = Path.Combine(_dir, "authkey");
        ClusterD.Messaging.Security.AuthKeyFile.Generate(key, 1);
        var path = Path.Combine(_dir, "clusterd.conf");
        var address = $"127.{200 + (Environment.ProcessId % 50)}.{Random.Shared.Next(1, 250)}.1";
        await File.WriteAllTextAsync(path, ClusterD.TestKit.TestConfigs.Text([[address], ["127.0.0.2"]], stateDirRoot: _dir, port: 17405),
            TestContext.Current.CancellationToken);
        var ringSeq = Path.Combine(_dir, "node1", "ring-seq");
        Directory.CreateDirectory(Path.GetDirectoryName(ringSeq)!);
        if (damage == "directory")
        {
            Directory.CreateDirectory(ringSeq);
        }
        else
        {
            await File.WriteAllTextAsync(ringSeq, "12x\n", TestContext.Current.CancellationToken);
        }

        var result = await Run("--config", path, "--node", "node1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("membership could not start", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<ProcessRunner.Result> Run(params string[] args) =>
        ProcessRunner.RunDotnetAsync(RepoPaths.Clusterd, args, TestContext.Current.CancellationToken);
}
