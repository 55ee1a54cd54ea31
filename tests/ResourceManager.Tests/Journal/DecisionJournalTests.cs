using System.Diagnostics;
using System.Text.Json;
using ClusterD.ResourceManager.Journal;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using ClusterD.ResourceManager.Tests.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.ResourceManager.Tests.Journal;

public sealed class DecisionJournalTests : IDisposable
{
    private static readonly DateTimeOffset Recorded = new(2026, 3, 1, 12, 5, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterd-journal-");
    private readonly FakeTimeProvider _time = new(Recorded);

    private string JournalDir => Path.Combine(_dir.FullName, "journal");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string> ScenarioNames => [.. Scenario.Names];

    [Fact]
    public void Record_ThenRead_GivesBackInputsAndOutput()
    {
        var scenario = Scenario.Load("mysqld-back-after-failure-timeout");
        var now = scenario.Now!.Value;
        var graph = Scheduler.Schedule(scenario.Config, scenario.Status, now, TestContext.Current.CancellationToken);
        var journal = new DecisionJournal(JournalDir, _time);

        var id = journal.Record(scenario.Config, scenario.Status, now, graph);
        var entry = journal.Read(id);

        Assert.Equal(1, id);
        Assert.True(File.Exists(Path.Combine(JournalDir, "pe-1.json")));
        Assert.Equal(scenario.Config, entry.Config);
        Assert.Equal(StatusJson.Write(scenario.Status), StatusJson.Write(entry.Status));
        Assert.Equal(now, entry.Now);
        Assert.Equal(Recorded, entry.Time);
        Assert.Equal(TransitionView.From(graph).Lines(), entry.Graph.Lines());
        Assert.Contains("action start:mysqld@hadb01 after stop:mysqld@hadb02, start:fs_mysql@hadb01, promote:drbd_mysql@hadb01, "
            + "notify-post-promote:drbd_mysql@hadb01, notify-post-promote:drbd_mysql@hadb02", entry.Graph.Lines(), StringComparer.Ordinal);
        Assert.Equal(TransitionSummary.Render(graph), entry.Summary);
    }

    [Fact]
    public void Record_EntryFile_IsReadableJsonWithTheSimulateShapeAndAChecksum()
    {
        var scenario = Scenario.Load("mysqld-back-after-failure-timeout");
        var journal = new DecisionJournal(JournalDir, _time);

        journal.Record(scenario.Config, scenario.Status, scenario.Now!.Value, scenario.Schedule());

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(JournalDir, "pe-1.json")));
        var root = doc.RootElement;
        Assert.Equal(["format", "entry", "sha256"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("clusterd-decision/1", root.GetProperty("format").GetString());
        var entry = root.GetProperty("entry");
        Assert.Equal(["id", "time", "now", "configuration", "status", "graph", "summary"], entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-03-01T12:02:01.0000000+00:00", entry.GetProperty("now").GetString());
        Assert.Contains("primitive mysqld ", entry.GetProperty("configuration").GetString(), StringComparison.Ordinal);
        Assert.Equal(["placement", "actions"], entry.GetProperty("graph").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["id", "op", "resource", "node", "after"], entry.GetProperty("graph").GetProperty("actions")[0].EnumerateObject().Select(p => p.Name));
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("sha256").GetString());
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Replay_EveryScenarioRecorded_IsIdenticalToTheRecordedGraph(string name)
    {
        var scenario = Scenario.Load(name);
        var now = scenario.Now ?? Recorded;
        var journal = new DecisionJournal(JournalDir, _time);
        var id = journal.Record(scenario.Config, scenario.Status, now, Scheduler.Schedule(scenario.Config, scenario.Status, now, TestContext.Current.CancellationToken));

        var outcome = DecisionReplay.Run(journal.Read(id));

        Assert.Empty(outcome.Differences);
        Assert.True(outcome.Identical);
    }

    [Fact]
    public void Record_MoreThanTheCountBound_RemovesTheOldest()
    {
        var journal = new DecisionJournal(JournalDir, _time, maxEntries: 3);

        var ids = Enumerable.Range(0, 5).Select(_ => RecordOne(journal)).ToList();

        Assert.Equal([1, 2, 3, 4, 5], ids);
        Assert.Equal([3, 4, 5], journal.List().Select(e => e.Id));
        Assert.Equal(["pe-3.json", "pe-4.json", "pe-5.json"], Directory.GetFiles(JournalDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Record_OverTheByteBound_RemovesTheOldestUntilItFits()
    {
        var probe = new DecisionJournal(Path.Combine(_dir.FullName, "probe"), _time);
        RecordOne(probe);
        var size = probe.List().Single().Bytes;
        var journal = new DecisionJournal(JournalDir, _time, maxBytes: (size * 5 / 2) + 16);

        for (var i = 0; i < 6; i++)
        {
            RecordOne(journal);
        }

        var kept = journal.List();
        Assert.Equal([5, 6], kept.Select(e => e.Id));
        Assert.True(kept.Sum(e => e.Bytes) <= (size * 5 / 2) + 16);
    }

    [Fact]
    public void Record_EntryLargerThanTheByteBound_KeepsOnlyTheNewest()
    {
        var journal = new DecisionJournal(JournalDir, _time, maxBytes: 1);

        RecordOne(journal);
        RecordOne(journal);

        Assert.Equal([2], journal.List().Select(e => e.Id));
    }

    [Fact]
    public void Record_AfterARestart_ContinuesAfterTheHighestIdOnDisk()
    {
        var first = new DecisionJournal(JournalDir, _time);
        RecordOne(first);
        RecordOne(first);
        File.Move(Path.Combine(JournalDir, "pe-2.json"), Path.Combine(JournalDir, "pe-41.json"));
        File.WriteAllText(Path.Combine(JournalDir, "pe-0099.json"), "not an entry: a leading zero is not an id");
        File.WriteAllText(Path.Combine(JournalDir, "notes.txt"), "");
        File.WriteAllText(Path.Combine(JournalDir, ".pe-42.json.0123abcd.tmp"), "{ half");

        var restarted = new DecisionJournal(JournalDir, _time);
        var id = RecordOne(restarted);

        Assert.Equal(42, id);
        Assert.Equal([1, 41, 42], restarted.List().Select(e => e.Id));
        Assert.False(File.Exists(Path.Combine(JournalDir, ".pe-42.json.0123abcd.tmp")));
        Assert.Equal(42, restarted.Read(42).Id);
    }

    [Fact]
    public void Read_TamperedEntryThatIsStillValidJson_IsDetected()
    {
        var journal = new DecisionJournal(JournalDir, _time);
        RecordOne(journal);
        var path = Path.Combine(JournalDir, "pe-1.json");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("migration-threshold=3", "migration-threshold=1", StringComparison.Ordinal));
        Assert.NotEqual(text, File.ReadAllText(path));

        var e = Assert.Throws<JournalEntryException>(() => journal.Read(1));

        Assert.Equal($"{path}: checksum mismatch: the entry was changed or damaged after it was written", e.Message);
    }

    [Theory]
    [InlineData("{}", "not a journal entry (expected \"format\": \"clusterd-decision/1\")")]
    [InlineData("{ \"format\": \"clusterd-decision/1\", \"entry\": [] }", "\"entry\" is missing or not an object")]
    [InlineData("{ \"format\": \"clusterd-decision/1\", \"entry\": {}", "not a journal entry: invalid JSON at line 1")]
    [InlineData("\u0000\u0001garbage", "not a journal entry: invalid JSON at line 1")]
    public void Read_MalformedEntry_IsAClearError(string content, string reason)
    {
        Directory.CreateDirectory(JournalDir);
        var path = Path.Combine(JournalDir, "pe-3.json");
        File.WriteAllText(path, content);

        var e = Assert.Throws<JournalEntryException>(() => new DecisionJournal(JournalDir).Read(3));

        Assert.Equal($"{path}: {reason}", e.Message);
    }

    [Fact]
    public void Read_EntryRenamedToAnotherId_IsRefused()
    {
        var journal = new DecisionJournal(JournalDir, _time);
        RecordOne(journal);
        File.Copy(Path.Combine(JournalDir, "pe-1.json"), Path.Combine(JournalDir, "pe-2.json"));

        var e = Assert.Throws<JournalEntryException>(() => journal.Read(2));

        Assert.EndsWith("pe-2.json: holds entry 1, not 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_NotARegularFileOrTooLarge_IsRefusedWithoutBlocking()
    {
        var journal = new DecisionJournal(JournalDir, _time);
        RecordOne(journal);
        Directory.CreateDirectory(Path.Combine(JournalDir, "pe-2.json"));
        File.CreateSymbolicLink(Path.Combine(JournalDir, "pe-3.json"), Path.Combine(JournalDir, "pe-1.json"));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(JournalDir, "pe-4.json")]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        using (var sparse = File.Create(Path.Combine(JournalDir, "pe-5.json")))
        {
            sparse.SetLength(DecisionJournal.MaxEntryBytes + 1);
        }

        Assert.EndsWith("pe-2.json: is a directory, not a regular file", Assert.Throws<JournalEntryException>(() => journal.Read(2)).Message, StringComparison.Ordinal);
        Assert.EndsWith("pe-3.json: is a symbolic link, not an entry the journal wrote", Assert.Throws<JournalEntryException>(() => journal.Read(3)).Message, StringComparison.Ordinal);
        Assert.EndsWith("pe-4.json: is a FIFO, not a regular file", Assert.Throws<JournalEntryException>(() => journal.Read(4)).Message, StringComparison.Ordinal);
        Assert.EndsWith($"pe-5.json: is larger than {DecisionJournal.MaxEntryBytes} bytes", Assert.Throws<JournalEntryException>(() => journal.Read(5)).Message, StringComparison.Ordinal);
        Assert.EndsWith("pe-6.json: no such journal entry", Assert.Throws<JournalEntryException>(() => journal.Read(6)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void List_NoDirectory_IsEmpty()
    {
        Assert.Empty(new DecisionJournal(Path.Combine(_dir.FullName, "none")).List());
    }

    private static long RecordOne(DecisionJournal journal)
    {
        var scenario = Scenario.Load("mysqld-back-after-failure-timeout");
        return journal.Record(scenario.Config, scenario.Status, scenario.Now!.Value, scenario.Schedule());
    }
}
