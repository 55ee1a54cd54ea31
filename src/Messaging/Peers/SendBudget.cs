using System.Threading.Channels;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// The bytes one session may hold queued. A sender takes its message's size before queuing and the write
/// loop gives it back when it takes the message off the queue; a sender that finds too little waits, in
/// arrival order (so a large message is never starved by small ones behind it). A message larger than the
/// whole budget is admitted only onto an empty queue, so it waits but is never refused. Once closed,
/// waiting and later senders fail with <see cref="ChannelClosedException"/>, as a write to the closed queue does.
/// </summary>
internal sealed class SendBudget(long limit)
{
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _waiters = new();
    private long _used;
    private bool _closed;

    public long Limit { get; } = limit;

    /// <summary>Bytes taken and not yet given back.</summary>
    public long Used
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>Takes <paramref name="bytes"/> if they fit now and nobody is waiting before this sender (false once closed).</summary>
    public bool TryTake(long bytes)
    {
        lock (_gate)
        {
            if (_closed || _waiters.Count > 0 || !Fits(bytes))
            {
                return false;
            }

            _used += bytes;
            return true;
        }
    }

    /// <summary>Takes <paramref name="bytes"/>, waiting behind earlier senders until they fit.</summary>
    public ValueTask TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromException(new ChannelClosedException());
            }

            if (_waiters.Count == 0 && Fits(bytes))
            {
                _used += bytes;
                return default;
            }

            waiter = new Waiter(bytes);
            _waiters.Enqueue(waiter);
        }

        return waiter.WaitAsync(this, cancellationToken);
    }

    /// <summary>Gives <paramref name="bytes"/> back and admits the waiters that now fit, in order.</summary>
    public void Give(long bytes)
    {
        List<Waiter>? admitted = null;
        lock (_gate)
        {
            _used -= bytes;
            while (_waiters.TryPeek(out var next) && (next.Abandoned || Fits(next.Bytes)))
            {
                _waiters.Dequeue();
                if (!next.Abandoned)
                {
                    _used += next.Bytes;
                    (admitted ??= []).Add(next);
                }
            }
        }

        admitted?.ForEach(w => w.Admit(this));
    }

    /// <summary>Fails every waiting sender and every later one.</summary>
    public void Close()
    {
        Waiter[] waiting;
        lock (_gate)
        {
            _closed = true;
            waiting = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in waiting)
        {
            waiter.Fail();
        }
    }

    private bool Fits(long bytes) => _used == 0 || _used + bytes <= Limit;

    private sealed class Waiter(long bytes)
    {
        private readonly TaskCompletionSource _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Bytes { get; } = bytes;

        /// <summary>Cancelled before admission: skipped when its turn comes.</summary>
        public bool Abandoned { get; private set; }

        public async ValueTask WaitAsync(SendBudget budget, CancellationToken cancellationToken)
        {
            await using var registration = cancellationToken.Register(() =>
            {
                lock (budget._gate)
                {
                    if (_admitted.Task.IsCompleted)
                    {
                        return;
                    }

                    Abandoned = true;
                }

                _admitted.TrySetCanceled(cancellationToken);

                // Its place may have blocked others behind it.
                budget.Give(0);
            });
            await _admitted.Task.ConfigureAwait(false);
        }

        public void Admit(SendBudget budget)
        {
            if (!_admitted.TrySetResult())
            {
                budget.Give(Bytes);
            }
        }

        public void Fail() => _admitted.TrySetException(new ChannelClosedException());
    }
}
