using System.Text.Json;
using ClusterD.Cli.Commands;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Commands;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_Text_PrintsTheCrmMonStyleView()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => SampleReplies.FourNodes();

        var run = await cli.RunAsync(["status"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Current DC: node1 - partition with quorum", run.Out, StringComparison.Ordinal);
        Assert.Contains("Online: [ node1 ]", run.Out, StringComparison.Ordinal);
        Assert.Contains("OFFLINE: [ node4 ]", run.Out, StringComparison.Ordinal);
        Assert.Contains("Node node3: UNCLEAN (offline)", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Last updated", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_PrintsOneParsableDocument()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => SampleReplies.FourNodes(quorate: false, dc: "");

        var run = await cli.RunAsync(["status", "--json"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.False(doc.RootElement.GetProperty("quorate").GetBoolean());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("dc").ValueKind);
        Assert.Equal(4, doc.RootElement.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task Watch_EventThenTick_RefetchesOnEachAndExitsOkOnCancel()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => SampleReplies.FourNodes();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var running = cli.RunAsync(["status", "--watch", "--json"], stop.Token);

        // First draw, then an event: a second draw, without time passing.
        await cli.Daemon.WaitForStatusCallsAsync(1).WaitAsync(TestContext.Current.CancellationToken);
        await cli.Daemon.Events.Writer.WriteAsync(SampleReplies.MembershipEvent(), TestContext.Current.CancellationToken);
        await cli.Daemon.WaitForStatusCallsAsync(2).WaitAsync(TestContext.Current.CancellationToken);

        // No event: the refresh timer armed after the second draw brings the third.
        await cli.Time.WaitForTimersAsync(2).WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, cli.Daemon.StatusCalls);
        cli.Time.Advance(StatusCommand.RefreshInterval);
        await cli.Daemon.WaitForStatusCallsAsync(3).WaitAsync(TestContext.Current.CancellationToken);

        await cli.Time.WaitForTimersAsync(3).WaitAsync(TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        var run = await running;

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var documents = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, documents.Length);
        Assert.All(documents, line =>
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("mysql-ha", doc.RootElement.GetProperty("cluster").GetString());
        });
    }

    [Fact]
    public async Task Watch_Text_RedrawsWithLastUpdated()
    {
        var cli = new CliHarness();
        cli.UseFakeDaemon();
        cli.Daemon.StatusReply = () => SampleReplies.FourNodes();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var running = cli.RunAsync(["status", "-w"], stop.Token);
        await cli.Time.WaitForTimersAsync(1).WaitAsync(TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        var run = await running;

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Last updated: 2000-01-01 00:00:00 UTC", run.Out, StringComparison.Ordinal);
        Assert.Contains("Current DC: node1 - partition with quorum", run.Out, StringComparison.Ordinal);
    }
}
