using ClusterD.Admin.V1;
using ClusterD.Cli.Tests.TestSupport;
using Grpc.Core;

namespace ClusterD.Cli.Tests.Commands;

/// <summary>Real command lines through the real root command: global options, usage errors, unreachable daemons.</summary>
public sealed class ClusterCtlRootCommandTests
{
    [Theory]
    [InlineData("--socket", "/run/test/a.sock", "status")]
    [InlineData("status", "--socket", "/run/test/a.sock")]
    [InlineData("--socket=/run/test/a.sock", "status", "--json")]
    [InlineData("status", "--json", "--socket", "/run/test/a.sock")]
    public async Task Socket_BeforeOrAfterVerb_IsTheSocketDialled(params string[] args)
    {
        var cli = new CliHarness();
        var factory = cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => SampleReplies.FourNodes();

        var run = await cli.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["/run/test/a.sock"], factory.SocketPaths);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Status_SocketDoesNotExist_ExitsUnreachableNamingThePath(bool socketBeforeVerb)
    {
        var cli = new CliHarness();
        var path = Path.Combine(Path.GetTempPath(), $"clusterctl-{Guid.NewGuid():N}", "clusterd.sock");
        string[] args = socketBeforeVerb ? ["--socket", path, "status"] : ["status", "--socket", path];

        var run = await cli.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains(path, run.Error, StringComparison.Ordinal);
        Assert.Contains("systemctl status clusterd", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Status_SocketFileWithoutListener_ExitsUnreachable()
    {
        var dir = Directory.CreateTempSubdirectory("clusterctl-");
        try
        {
            // A stale socket file: bound once, never listening, as left behind by a crashed daemon.
            var path = Path.Combine(dir.FullName, "clusterd.sock");
            using (var socket = new System.Net.Sockets.Socket(
                System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
            {
                socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            }

            var run = await new CliHarness().RunAsync(["status", "--socket", path], TestContext.Current.CancellationToken);

            Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
            Assert.Contains(path, run.Error, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Status_DaemonAnswersUnavailable_ExitsUnreachableNamingThePath()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => throw new RpcException(new Status(StatusCode.Unavailable, "connection refused"));

        var run = await cli.RunAsync(["--socket", "/run/test/b.sock", "status"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains("/run/test/b.sock", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ConnectionBrokenMidCall_ExitsUnreachableWithTheTransportError()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        var broken = new HttpRequestException("The HTTP/2 server closed the connection.");
        cli.Daemon.StatusReply = () => throw new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", broken));

        var run = await cli.RunAsync(["status", "--socket", "/run/test/d.sock"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains("/run/test/d.sock: The HTTP/2 server closed the connection.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CancelledByTheDaemon_ExitsUnreachable()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => throw new RpcException(new Status(StatusCode.Cancelled, "reset"));

        var run = await cli.RunAsync(["status"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains("closed the connection", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_DaemonAnswersOtherError_ExitsGenericError()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => throw new RpcException(new Status(StatusCode.Internal, "boom"));

        var run = await cli.RunAsync(["status"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Error, run.ExitCode);
        Assert.Contains("boom", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("status", "--no-such-option")]
    [InlineData("status", "--socket")]
    [InlineData("status", "--socket", "")]
    [InlineData]
    public async Task Parse_BadCommandLine_ExitsUsage(params string[] args)
    {
        var cli = new CliHarness();
        var factory = cli.UseFakeDaemon();

        var run = await cli.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("clusterctl --help", run.Error, StringComparison.Ordinal);
        Assert.Empty(factory.SocketPaths);
    }

    [Fact]
    public async Task Help_ListsTheVerbsAndExitsOk()
    {
        var run = await new CliHarness().RunAsync(["--help"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("status", run.Out, StringComparison.Ordinal);
        Assert.Contains("events", run.Out, StringComparison.Ordinal);
        Assert.Contains("--socket", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socket_FromEnvironment_IsUsedWithoutOption()
    {
        var cli = new CliHarness();
        var factory = cli.UseFakeDaemon();
        cli.Environment["CLUSTERD_SOCKET"] = "/run/env/clusterd.sock";

        var run = await cli.RunAsync(["status"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["/run/env/clusterd.sock"], factory.SocketPaths);
    }

    [Fact]
    public async Task Socket_FromConfFile_IsUsedWithoutOptionOrEnvironment()
    {
        var dir = Directory.CreateTempSubdirectory("clusterctl-");
        try
        {
            var cli = new CliHarness { ConfPath = Path.Combine(dir.FullName, "clusterd.conf") };
            await File.WriteAllTextAsync(cli.ConfPath, "clusterd {\n    admin_socket: /run/conf/clusterd.sock\n}\n",
                TestContext.Current.CancellationToken);
            var factory = cli.UseFakeDaemon();

            var run = await cli.RunAsync(["status", "--json"], TestContext.Current.CancellationToken);

            Assert.Equal(ExitCodes.Ok, run.ExitCode);
            Assert.Equal(["/run/conf/clusterd.sock"], factory.SocketPaths);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Socket_NothingConfigured_IsTheDaemonDefault()
    {
        var cli = new CliHarness();
        var factory = cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => new ClusterStatusReply();

        await cli.RunAsync(["status"], TestContext.Current.CancellationToken);

        Assert.Equal(["/run/clusterd/clusterd.sock"], factory.SocketPaths);
    }
}
