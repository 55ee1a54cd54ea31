using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Cli.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test when code under test has armed a timer,
/// so the test advances time only after the timer exists (a barrier instead of a sleep).
/// </summary>
internal sealed class ObservableTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _timers;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _timers++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _timers).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.SetResult();
            }
        }

        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers have been created in total.</summary>
    public Task WaitForTimersAsync(int count)
    {
        lock (_gate)
        {
            if (_timers >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }
}
