using System.Text.Json;
using ClusterD.Admin.V1;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Commands;

public sealed class EventsCommandTests
{
    [Fact]
    public async Task Events_WithoutFollow_ExplainsThereIsNoHistory()
    {
        var cli = new CliHarness();
        var factory = cli.UseFakeDaemon();

        var run = await cli.RunAsync(["events"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Error, run.ExitCode);
        Assert.Contains("no event history", run.Error, StringComparison.Ordinal);
        Assert.Contains("--follow", run.Error, StringComparison.Ordinal);
        Assert.Empty(factory.SocketPaths);
    }

    [Fact]
    public async Task Follow_StreamEnds_PrintsOneLinePerEventAndExitsOk()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        await cli.Daemon.Events.Writer.WriteAsync(SampleReplies.MembershipEvent(), TestContext.Current.CancellationToken);
        await cli.Daemon.Events.Writer.WriteAsync(new ClusterEvent { Kind = EventKind.Gap, Message = "3 events dropped" },
            TestContext.Current.CancellationToken);
        cli.Daemon.Events.Writer.Complete();

        var run = await cli.RunAsync(["events", "--follow", "--socket", "/run/test/c.sock"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var lines = run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "2025-01-31T12:00:00.250Z membership node2 joined | ring=1.20 members=node1,node2 joined=node2 lost=- left=- quorate=yes dc=node1",
                "- gap 3 events dropped | ring=- members=- joined=- lost=- left=- quorate=no dc=-",
            ],
            lines);
    }

    [Fact]
    public async Task Follow_Json_PrintsOneObjectPerLine()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        await cli.Daemon.Events.Writer.WriteAsync(SampleReplies.MembershipEvent(), TestContext.Current.CancellationToken);
        cli.Daemon.Events.Writer.Complete();

        var run = await cli.RunAsync(["events", "-f", "--json"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var doc = JsonDocument.Parse(Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var e = doc.RootElement;
        Assert.Equal(
            ["time", "kind", "message", "ringId", "members", "joined", "lost", "left", "quorate", "dc",
                "node", "resource", "action", "transition", "succeeded", "durationMs", "phases"],
            e.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2025-01-31T12:00:00.250Z", e.GetProperty("time").GetString());
        Assert.Equal("membership", e.GetProperty("kind").GetString());
        Assert.Equal(["node1", "node2"], e.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Empty(e.GetProperty("lost").EnumerateArray());
        Assert.True(e.GetProperty("quorate").GetBoolean());
        Assert.Equal("node1", e.GetProperty("dc").GetString());
    }

    [Fact]
    public async Task Follow_Cancelled_ExitsOk()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await cli.Daemon.Events.Writer.WriteAsync(SampleReplies.MembershipEvent(), TestContext.Current.CancellationToken);

        var running = cli.RunAsync(["events", "--follow"], stop.Token);
        await stop.CancelAsync();
        var run = await running;

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Follow_SocketDoesNotExist_ExitsUnreachable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"clusterctl-{Guid.NewGuid():N}.sock");

        var run = await new CliHarness().RunAsync(["events", "--follow", "--socket", path], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains(path, run.Error, StringComparison.Ordinal);
    }
}
