using System.Globalization;
using System.Text.RegularExpressions;
using ClusterD.TestKit.Processes;
using ClusterD.TestKit.Testbed;

namespace ClusterD.E2E.Tests;

/// <summary>
/// The real <c>clusterd demo --mysql</c> process, as an operator runs it (root, MariaDB, haproxy): it builds the
/// testbed, runs the switchover and the hard failover under its writing client, checks every acknowledged write
/// and the DRBD record, and takes the testbed down again.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed partial class DemoMysqlTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DemoMysql_RunsBothDrills_LosesNoAcknowledgedWrite_AndTakesTheTestbedDown()
    {
        if (Testbed.Unavailable() is { } why)
        {
            Assert.False(Environment.GetEnvironmentVariable("CLUSTERD_REQUIRE_E2E") == "1", why);
            Assert.Skip(why);
        }

        var ct = TestContext.Current.CancellationToken;
        await Testbed.DownAsync(ct); // a testbed left up by an aborted run would make the demo refuse to start

        var run = await ProcessRunner.RunDotnetAsync(RepoPaths.Clusterd, ["demo", "--mysql"], TimeSpan.FromMinutes(6), ct);
        output.WriteLine(run.Stdout);
        output.WriteLine(run.Stderr);

        var said = $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}";
        Assert.True(run.ExitCode == 0, said);
        Assert.Matches(SwitchoverDone(), run.Stdout);
        Assert.Matches(FailoverSummary(), run.Stdout);
        Assert.Equal(2, ClientOutage().Count(run.Stdout));
        var booted = Booted().Match(run.Stdout);
        Assert.True(booted.Success, said);
        Assert.Contains($"{booted.Groups[1].Value} is back: drbd_mysql Unpromoted there and monitored", run.Stdout[booted.Index..], StringComparison.Ordinal);
        var writes = AllWritesFound().Match(run.Stdout);
        Assert.True(writes.Success, said);
        Assert.True(int.Parse(writes.Groups[1].Value, CultureInfo.InvariantCulture) > 0, said);
        Assert.Contains("DRBD: check: max simultaneous Primaries 1, refused promotions 0", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("demo done: switchover and hard failover", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("testbed down", run.Stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.False(Directory.Exists("/run/netns/hadb01"), "the demo left the testbed's namespaces behind");
    }

    [GeneratedRegex(@"SWITCHOVER done: group mysql started on hadb0[12] \+[\d,]+ ms after the command")]
    private static partial Regex SwitchoverDone();

    [GeneratedRegex(@"Failover of hadb0[12] to hadb0[12], from the crash:\n  detected +\+[\d,]+ ms.*\n  fenced +\+[\d,]+ ms.*\n  promoted +\+[\d,]+ ms.*\n  mysql up +\+[\d,]+ ms")]
    private static partial Regex FailoverSummary();

    /// <summary>What the client saw of a move: the last write before it, the first after, on the other node.</summary>
    [GeneratedRegex(@"client: last write before acknowledged by (hadb0[12]) at [+-][\d,]+ ms, first after by (?!\1)hadb0[12] at \+[\d,]+ ms: writes stopped for [\d,]+ ms")]
    private static partial Regex ClientOutage();

    [GeneratedRegex(@"testbed boot (hadb0[12]): powered on again")]
    private static partial Regex Booted();

    [GeneratedRegex(@"writes: all (\d+) acknowledged ids are in the table \(read back through haproxy\), 0 missing")]
    private static partial Regex AllWritesFound();
}
