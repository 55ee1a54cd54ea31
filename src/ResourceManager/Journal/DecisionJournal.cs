using System.Globalization;
using ClusterD.Platform.Files;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Journal;

/// <summary>
/// The decision journal, like Pacemaker's <c>pe-input-*.bz2</c> files: every scheduler run's inputs and
/// output, one file per run (<c>pe-ID.json</c>, <see cref="JournalCodec"/>) under one directory, so a
/// decision can be read back and replayed (<c>clusterctl simulate --replay ID</c>). Ids increase by one per
/// entry and continue after the highest id on disk when the journal is opened again. The journal is
/// bounded by entry count and total bytes; after each write the oldest entries are removed until both
/// bounds hold, but the newest entry is always kept. Each entry is written atomically and durably
/// (<see cref="AtomicTextFile"/>). Safe to call from several threads; one process owns a directory.
/// </summary>
public sealed class DecisionJournal
{
    /// <summary>
    /// Entries kept by default. Pacemaker keeps 4000 pe-inputs (<c>pe-input-series-max</c>); an entry here
    /// also holds the output and is uncompressed JSON, and 500 runs cover days of a quiet cluster and the
    /// whole of any incident worth replaying.
    /// </summary>
    public const int DefaultMaxEntries = 500;

    /// <summary>Total bytes kept by default: 64 MiB, so a large configuration cannot fill the state file system.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>The largest entry written or read: an 8 MiB configuration and an 8 MiB status as JSON strings, with room to spare.</summary>
    public const long MaxEntryBytes = 32L * 1024 * 1024;

    private const string Prefix = "pe-";
    private const string Suffix = ".json";

    private readonly TimeProvider _time;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private long _lastId = -1;

    public DecisionJournal(string directory, TimeProvider? timeProvider = null, int maxEntries = DefaultMaxEntries, long maxBytes = DefaultMaxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        Directory = directory;
        _time = timeProvider ?? TimeProvider.System;
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
    }

    /// <summary>The journal's directory, usually <c>STATE_DIR/journal</c>.</summary>
    public string Directory { get; }

    /// <summary>The entry file name for an id: <c>pe-42.json</c>.</summary>
    public static string FileName(long id) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{id}{Suffix}");

    /// <summary>
    /// Records one scheduler run (<see cref="Scheduler.Schedule"/> of <paramref name="config"/>,
    /// <paramref name="status"/> and <paramref name="now"/> gave <paramref name="graph"/>) and returns its id.
    /// Synchronous, with an fsync: call it off the scheduling path.
    /// </summary>
    /// <exception cref="IOException">The entry could not be written (or is larger than <see cref="MaxEntryBytes"/>).</exception>
    public long Record(ClusterConfig config, ClusterStatus status, DateTimeOffset now, TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(graph);
        lock (_lock)
        {
            if (_lastId < 0)
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
                RemoveLeftoverTemporaries();
                _lastId = Scan().Select(e => e.Id).DefaultIfEmpty(0).Max();
            }

            var id = _lastId + 1;
            var entry = new JournalEntry(id, _time.GetUtcNow(), now, config, status, TransitionView.From(graph), TransitionSummary.Render(graph));
            var bytes = JournalCodec.Write(entry);
            var path = Path.Combine(Directory, FileName(id));
            if (bytes.Length > MaxEntryBytes)
            {
                throw new IOException($"{path}: the entry would be {bytes.Length} bytes, more than the {MaxEntryBytes}-byte limit; not recorded");
            }

            if (!AtomicTextFile.TryWrite(path, System.Text.Encoding.UTF8.GetString(bytes), out var error))
            {
                throw new IOException($"{path}: {error}");
            }

            _lastId = id;
            Prune(id);
            return id;
        }
    }

    /// <summary>The entries on disk, oldest first. A missing directory is an empty journal.</summary>
    public IReadOnlyList<JournalEntryInfo> List()
    {
        lock (_lock)
        {
            return Scan();
        }
    }

    /// <summary>Reads entry <paramref name="id"/> back, bounded and validated.</summary>
    /// <exception cref="JournalEntryException">Missing, not a regular file, larger than <see cref="MaxEntryBytes"/>, malformed or changed since written.</exception>
    public JournalEntry Read(long id) => ReadFile(Path.Combine(Directory, FileName(id)), id);

    /// <summary>Reads the entry file <paramref name="path"/>, which must hold entry <paramref name="id"/>.</summary>
    /// <exception cref="JournalEntryException">Missing, not a regular file, larger than <see cref="MaxEntryBytes"/>, malformed or changed since written.</exception>
    private static JournalEntry ReadFile(string path, long id)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            // A symbolic link is refused, not followed: the journal writes only regular files.
            if (FileStat.Of(path, followLinks: false) is { Kind: FileKind.SymbolicLink })
            {
                throw new JournalEntryException($"{path}: is a symbolic link, not an entry the journal wrote");
            }

            bytes = RegularFile.Read(path, MaxEntryBytes);
        }
        catch (FileReadException e) when (e.Problem == FileReadProblem.Missing)
        {
            throw new JournalEntryException($"{path}: no such journal entry", e);
        }
        catch (IOException e) when (e is not JournalEntryException)
        {
            throw new JournalEntryException($"{path}: {e.Message}", e);
        }

        return JournalCodec.Read(bytes, id, path);
    }

    internal static bool TryParseId(string fileName, out long id)
    {
        id = 0;
        return fileName.StartsWith(Prefix, StringComparison.Ordinal)
            && fileName.EndsWith(Suffix, StringComparison.Ordinal)
            && fileName.Length > Prefix.Length + Suffix.Length
            && fileName[Prefix.Length] is >= '1' and <= '9'
            && long.TryParse(fileName.AsSpan(Prefix.Length, fileName.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    private List<JournalEntryInfo> Scan()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var entries = new List<JournalEntryInfo>();
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles(Prefix + "*" + Suffix))
        {
            if (TryParseId(file.Name, out var id))
            {
                entries.Add(new JournalEntryInfo(id, file.FullName, file.Length, file.LastWriteTimeUtc));
            }
        }

        entries.Sort((a, b) => a.Id.CompareTo(b.Id));
        return entries;
    }

    /// <summary>Removes the oldest entries until the bounds hold; never <paramref name="newest"/>.</summary>
    private void Prune(long newest)
    {
        var entries = Scan();
        var total = entries.Sum(e => e.Bytes);
        var count = entries.Count;
        foreach (var oldest in entries)
        {
            if ((count <= _maxEntries && total <= _maxBytes) || oldest.Id == newest)
            {
                break;
            }

            try
            {
                File.Delete(oldest.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next write to retry; the entry just recorded is in place either way.
            }

            count--;
            total -= oldest.Bytes;
        }
    }

    /// <summary>Temporary files of writes a crash interrupted (<see cref="AtomicTextFile"/> names them <c>.pe-ID.json.*.tmp</c>).</summary>
    private void RemoveLeftoverTemporaries()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "." + Prefix + "*" + Suffix + ".*.tmp"))
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Harmless: never read, never counted.
            }
        }
    }
}
