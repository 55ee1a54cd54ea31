using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ClusterD.Fencing.History;

/// <summary>
/// The bounded history of fencing operations: the most recent <see cref="Limit"/> entries, oldest first,
/// read as an immutable snapshot that is swapped whole on every change; each change is also handed to every
/// watcher. A watcher that does not keep up loses its oldest undelivered changes, never slows the fencer.
/// </summary>
public sealed class FenceHistory
{
    /// <summary>Changes buffered per watcher before the oldest are dropped.</summary>
    public const int WatcherBuffer = 256;

    private readonly object _gate = new();
    private readonly List<Channel<FenceHistoryEntry>> _watchers = [];
    private ImmutableArray<FenceHistoryEntry> _entries = [];

    /// <summary>A history keeping the <paramref name="limit"/> most recent operations.</summary>
    public FenceHistory(int limit = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    /// <summary>How many operations are kept.</summary>
    public int Limit { get; }

    /// <summary>Raised, on the thread that made the change, after each change (a new or updated entry).</summary>
    public event Action<FenceHistoryEntry>? Changed;

    /// <summary>The entries now, oldest first.</summary>
    public ImmutableArray<FenceHistoryEntry> Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _entries;
            }
        }
    }

    /// <summary>The changes from now on, until <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<FenceHistoryEntry> WatchAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateBounded<FenceHistoryEntry>(
            new BoundedChannelOptions(WatcherBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Adds <paramref name="entry"/>, or replaces the entry with its id; the oldest entries beyond the limit are dropped.</summary>
    internal void Record(FenceHistoryEntry entry)
    {
        lock (_gate)
        {
            var entries = _entries;
            var at = -1;
            for (var i = entries.Length - 1; i >= 0 && at < 0; i--)
            {
                at = entries[i].Id == entry.Id ? i : -1;
            }

            entries = at >= 0 ? entries.SetItem(at, entry) : entries.Add(entry);
            if (entries.Length > Limit)
            {
                entries = entries.RemoveRange(0, entries.Length - Limit);
            }

            _entries = entries;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(entry);
            }
        }

        Changed?.Invoke(entry);
    }
}
