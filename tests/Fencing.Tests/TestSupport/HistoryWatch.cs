using System.Threading.Channels;
using ClusterD.Fencing.History;

namespace ClusterD.Fencing.Tests.TestSupport;

/// <summary>Collects a fencer's history changes so a test can wait for one (with a deadline) before moving the clock.</summary>
internal sealed class HistoryWatch : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Channel<FenceHistoryEntry> _changes = Channel.CreateUnbounded<FenceHistoryEntry>();
    private readonly FenceHistory _history;

    public HistoryWatch(FenceHistory history)
    {
        _history = history;
        _history.Changed += OnChanged;
    }

    /// <summary>The next change matching <paramref name="match"/>; earlier ones are skipped.</summary>
    public async Task<FenceHistoryEntry> NextAsync(Func<FenceHistoryEntry, bool> match)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        while (true)
        {
            var entry = await _changes.Reader.ReadAsync(deadline.Token);
            if (match(entry))
            {
                return entry;
            }
        }
    }

    /// <summary>The next change that starts a wait (delay or backoff).</summary>
    public Task<FenceHistoryEntry> NextWaitAsync() => NextAsync(e => e.WaitingUntil is not null);

    public void Dispose() => _history.Changed -= OnChanged;

    private void OnChanged(FenceHistoryEntry entry) => _changes.Writer.TryWrite(entry);
}
