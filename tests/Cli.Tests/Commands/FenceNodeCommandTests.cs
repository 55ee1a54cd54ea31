using ClusterD.Admin.V1;
using ClusterD.Cli.Tests.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ClusterD.Cli.Tests.Commands;

/// <summary><c>clusterctl fence NODE</c> against a fake daemon: the confirmation, the request, and the wait for its result.</summary>
public sealed class FenceNodeCommandTests
{
    private readonly CliHarness _cli = new();

    public FenceNodeCommandTests()
    {
        _cli.UseFakeDaemon();
        _cli.Daemon.Answer = (_, _) => new CommandReply { Message = "fencing hadb02 requested from hadb01" };
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClusterStatusReply WithRecord(string result, string detail = "")
    {
        var reply = new ClusterStatusReply();
        reply.Fencing.Add(new FenceRecordStatus
        {
            Target = "hadb02",
            Action = "off",
            Device = "st-azure",
            RequestedBy = "hadb01",
            Result = result,
            Reason = "clusterctl fence hadb02",
            Detail = detail,
            Requested = Timestamp.FromDateTimeOffset(_cli.Time.GetUtcNow()),
        });
        return reply;
    }

    [Fact]
    public async Task Fence_Yes_RequestsAndWaitsUntilTheHistorySaysFenced()
    {
        var polls = 0;
        _cli.Daemon.StatusReply = () => Interlocked.Increment(ref polls) == 1 ? WithRecord("pending") : WithRecord("succeeded");

        var run = _cli.RunAsync(["fence", "hadb02", "--yes"], Ct);
        await _cli.Time.WaitForTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(run.IsCompleted);
        _cli.Time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("fencing hadb02 requested from hadb01\nhadb02 fenced (off) by st-azure\n", result.Out.ReplaceLineEndings("\n"));
        var (method, request) = Assert.Single(_cli.Daemon.Requests);
        Assert.Equal(("Fence", "hadb02"), (method, ((FenceNodeRequest)request).Node));
        Assert.Equal(2, polls);
    }

    [Fact]
    public async Task Fence_NotConfirmed_SendsNothing()
    {
        _cli.Input.Enqueue("n");

        var run = await _cli.RunAsync(["fence", "hadb02"], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Fence hadb02 now? Its power goes off through the configured fence device. [y/N] ", run.Error, StringComparison.Ordinal);
        Assert.Contains("clusterctl: fence: hadb02 not fenced", run.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Daemon.Requests);
    }

    [Fact]
    public async Task Fence_ConfirmedWithoutWaiting_ExitsOnceRequested()
    {
        _cli.Input.Enqueue("yes");

        var run = await _cli.RunAsync(["fence", "hadb02", "--wait", "0"], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Fence", Assert.Single(_cli.Daemon.Requests).Method);
        Assert.Equal(0, _cli.Daemon.StatusCalls);
    }

    [Fact]
    public async Task Fence_DeviceFailed_ExitsOneWithTheFencersReason()
    {
        _cli.Daemon.StatusReply = () => WithRecord("failed", "not allowed to power off VM 'hadb02'");

        var run = await _cli.RunAsync(["fence", "hadb02", "-y"], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("clusterctl: fence: fencing hadb02 failed: not allowed to power off VM 'hadb02'\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Fence_Refused_ExitsWithTheRefusalsCode()
    {
        _cli.Daemon.Answer = (_, _) => throw FakeAdminCallInvoker.Refusal(StatusCode.FailedPrecondition, "hadb01 does not fence itself");

        var run = await _cli.RunAsync(["fence", "hadb01", "--yes"], Ct);

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("hadb01 does not fence itself", run.Error, StringComparison.Ordinal);
    }
}
