using System.Text.RegularExpressions;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Daemon;

/// <summary>
/// <c>clusterd demo</c>, the first command a newcomer runs, as a real process: it must place the seed's
/// resources, switch them over with a standby, fail them over after a SIGKILL with the victim fenced, print
/// both timelines, and leave nothing behind.
/// </summary>
public sealed partial class DemoProcessTests
{
    [Fact]
    public async Task Demo_RunsSwitchoverAndFencedFailover_PrintsBothTimelines()
    {
        var run = await ProcessRunner.RunDotnetAsync(RepoPaths.Clusterd, ["demo", "--token", "500"], TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
        var output = run.Stdout + run.Stderr;

        Assert.True(run.ExitCode == 0, output);
        var active = Capture(PlacedPattern(), output);
        var passive = active == "hadb01" ? "hadb02" : "hadb01";
        var switchover = Section(output, "Switchover timeline", "SWITCHOVER done");
        var failover = Section(output, "Failover timeline", "Failover of ");

        // The standby moved everything in the safe order: demote where it was, then promote and start the group on the other node.
        Assert.Contains($"SWITCHOVER: Standby({active}, on): {active} is in standby", output, StringComparison.Ordinal);
        Assert.True(Index(switchover, $"demote drbd_mysql on {active} ok") < Index(switchover, $"promote drbd_mysql on {passive} ok"), switchover);
        Assert.True(Index(switchover, $"promote drbd_mysql on {passive} ok") < Index(switchover, $"start probe_port on {passive} ok"), switchover);
        Assert.Contains($"FAILOVER completed: drbd_mysql promoted on {passive}", switchover, StringComparison.Ordinal);
        Assert.DoesNotContain("FENCE", switchover, StringComparison.Ordinal);

        // The node that then held Promoted was killed: the survivor lost it, fenced it, and only then took over.
        Assert.Contains($"FAULT: SIGKILL {passive}", output, StringComparison.Ordinal);
        Assert.Contains($"LOST {passive}", failover, StringComparison.Ordinal);
        Assert.True(Index(failover, $"FENCE {passive} requested (device fence_demo)") < Index(failover, $"fence of {passive} ok"), failover);
        Assert.True(Index(failover, $"fence of {passive} ok") < Index(failover, $"promote drbd_mysql on {active} ok"), failover);
        Assert.True(Index(failover, $"promote drbd_mysql on {active} ok") < Index(failover, $"start probe_port on {active} ok"), failover);
        Assert.Contains($"FAILOVER completed: drbd_mysql promoted on {active}", failover, StringComparison.Ordinal);
        // A crash's failover starts with detection (the lost node's silence), then scheduling.
        Assert.Matches(@"phases: detection [0-9,]+ ms, scheduling", failover);
        Assert.Matches(@"mysql up +\+[0-9,]+ ms .*TOTAL kill -> service back", output);
        Assert.Contains($"Fencing: off of {passive} by fence_demo (requested by {active}): succeeded", output, StringComparison.Ordinal);

        // Nothing left behind: the temp directory is gone.
        Assert.False(Directory.Exists(Capture(FilesPattern(), output)), output);
    }

    private static string Capture(Regex pattern, string output)
    {
        var match = pattern.Match(output);
        Assert.True(match.Success, $"'{pattern}' not in:\n{output}");
        return match.Groups[1].Value;
    }

    /// <summary>The text between the first line starting with <paramref name="from"/>'s marker and <paramref name="to"/>.</summary>
    private static string Section(string output, string from, string to)
    {
        var start = output.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{from}' not in:\n{output}");
        var end = output.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(end > start, $"'{to}' not after '{from}' in:\n{output}");
        return output[start..end];
    }

    private static int Index(string text, string what)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{what}' not in:\n{text}");
        return at;
    }

    [GeneratedRegex(@"placed: (hadb0[12]) is active")]
    private static partial Regex PlacedPattern();

    [GeneratedRegex(@"files in (/\S+)")]
    private static partial Regex FilesPattern();
}
