using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClusterD.Cli.Tests.TestSupport;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Journal;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Cli.Tests.Commands;

/// <summary><c>clusterctl simulate --replay</c> through the real root command, on a journal written by <see cref="DecisionJournal.Record"/>.</summary>
public sealed class SimulateReplayTests : IDisposable
{
    // The scenario's failure expires at this time; on the harness clock (2000) it would not have.
    private const string Now = "2026-03-01T12:02:01Z";

    private static readonly string ConfigPath = Path.Combine(AppContext.BaseDirectory, "Inputs", "fenced-cluster.crm");
    private static readonly string StatusPath = Path.Combine(AppContext.BaseDirectory, "Inputs", "fenced-status.json");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-replay-");
    private readonly CliHarness _cli = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string JournalDir => Path.Combine(_dir.FullName, "journal");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Replay_RecordedDecision_PrintsWhatSimulatePrintsAndSaysIdentical()
    {
        var id = Record(JournalDir);

        var replay = await _cli.RunAsync(["simulate", "--replay", id.ToString(CultureInfo.InvariantCulture), "--journal", JournalDir, "--json"], Ct);
        var simulate = await _cli.RunAsync(["simulate", "--config", ConfigPath, "--status", StatusPath, "--now", Now, "--json"], Ct);

        Assert.Equal(0, simulate.ExitCode);
        Assert.Equal(0, replay.ExitCode);
        Assert.Equal(simulate.Out, replay.Out);
        Assert.Contains("start:mysqld@hadb01", replay.Out, StringComparison.Ordinal);
        Assert.Equal($"replayed decision {id}: identical to the recorded graph", replay.Error.Trim());
    }

    [Fact]
    public async Task Replay_Text_PrintsTheEntryTheTransitionAndTheVerdict()
    {
        var id = Record(JournalDir);

        var run = await _cli.RunAsync(["simulate", "--replay", "1", "--journal", JournalDir], Ct);

        Assert.Equal(1, id);
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.Equal("Decision 1, recorded 2026-03-01T12:05:00.0000000+00:00 (failure-timeout measured at 2026-03-01T12:02:01.0000000+00:00), configuration admin_epoch=0 epoch=0", lines[0]);
        Assert.Contains("Placement after the transition:", lines);
        Assert.Contains(lines, l => l.EndsWith("14. start mysqld on hadb01  (after 1, 10, 11, 12, 13)", StringComparison.Ordinal));
        Assert.Equal("replayed decision 1: identical to the recorded graph", lines[^1]);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Replay_NoJournalOption_ReadsStateDirFromClusterdConf()
    {
        var stateDir = Path.Combine(_dir.FullName, "state");
        Record(Path.Combine(stateDir, "journal"));
        _cli.ConfPath = Path.Combine(_dir.FullName, "clusterd.conf");
        File.WriteAllText(_cli.ConfPath, $"totem {{\n  cluster_name: c\n}}\nclusterd {{\n  state_dir: {stateDir}\n}}\n");

        var run = await _cli.RunAsync(["simulate", "--replay", "1", "--dot"], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("digraph transition {", run.Out, StringComparison.Ordinal);
        Assert.Contains("identical to the recorded graph", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_RecordedGraphDiffersFromWhatTheSchedulerDecidesNow_ExitsOneWithTheDifference()
    {
        Record(JournalDir);
        // What an older scheduler might have decided: mysqld stays on hadb02. Re-sealed, so only the replay can tell.
        Reseal(Path.Combine(JournalDir, "pe-1.json"), entry => entry.Replace(
            "\"resource\": \"mysqld\",\n          \"node\": \"hadb01\"", "\"resource\": \"mysqld\",\n          \"node\": \"hadb02\"", StringComparison.Ordinal));

        var run = await _cli.RunAsync(["simulate", "--replay", "1", "--journal", JournalDir], Ct);

        Assert.Equal(1, run.ExitCode);
        var error = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            [
                "clusterctl: simulate: replayed decision 1: differs from the recorded graph (the scheduler changed since it was recorded):",
                "- placement mysqld on hadb02: Started",
                "+ placement mysqld on hadb01: Started",
            ],
            error);
        Assert.DoesNotContain("identical", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_TamperedEntry_ExitsOneNamingTheChecksum()
    {
        Record(JournalDir);
        var path = Path.Combine(JournalDir, "pe-1.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("failure-timeout=120s", "failure-timeout=900s", StringComparison.Ordinal));

        var run = await _cli.RunAsync(["simulate", "--replay", "1", "--journal", JournalDir], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"clusterctl: simulate: {path}: checksum mismatch: the entry was changed or damaged after it was written", run.Error.Trim());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Replay_MissingEntry_ExitsOneNamingThePath()
    {
        var run = await _cli.RunAsync(["simulate", "--replay", "7", "--journal", JournalDir], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"clusterctl: simulate: {Path.Combine(JournalDir, "pe-7.json")}: no such journal entry", run.Error.Trim());
    }

    [Theory]
    [InlineData("--replay 1 --config x.crm", "--replay takes its inputs from the journal; --config cannot be combined with it")]
    [InlineData("--replay 1 --node-fail hadb01", "--replay takes its inputs from the journal; --node-fail cannot be combined with it")]
    [InlineData("--replay 1 --run", "--replay takes its inputs from the journal; --run cannot be combined with it")]
    [InlineData("--replay 0", "--replay 0: a journal entry id is a positive whole number")]
    [InlineData("--journal /tmp", "--journal needs --replay")]
    [InlineData("--json", "--config FILE (or --replay ID) is required")]
    public async Task Replay_Misused_ExitsUsage(string arguments, string message)
    {
        var run = await _cli.RunAsync(["simulate", .. arguments.Split(' ')], Ct);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("clusterctl: simulate: " + message, run.Error, StringComparison.Ordinal);
    }

    private static long Record(string directory)
    {
        var config = CrmParser.ParseFile(ConfigPath).GetConfigOrThrow();
        var status = StatusJson.ReadFile(StatusPath).Status!;
        var now = DateTimeOffset.Parse(Now, CultureInfo.InvariantCulture);
        var journal = new DecisionJournal(directory, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 5, 0, TimeSpan.Zero)));
        return journal.Record(config, status, now, Scheduler.Schedule(config, status, now));
    }

    /// <summary>Changes the entry and writes a matching checksum, as a different scheduler would have recorded it.</summary>
    private static void Reseal(string path, Func<string, string> change)
    {
        var text = File.ReadAllText(path);
        string entry;
        using (var doc = JsonDocument.Parse(text))
        {
            entry = doc.RootElement.GetProperty("entry").GetRawText();
        }

        var changed = change(entry);
        Assert.NotEqual(entry, changed);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry)));
        var newDigest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(changed)));
        File.WriteAllText(path, text.Replace(entry, changed, StringComparison.Ordinal).Replace(digest, newDigest, StringComparison.Ordinal));
    }
}
