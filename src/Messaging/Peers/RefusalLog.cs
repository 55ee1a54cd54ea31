using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// Counts refused handshakes by reason and logs them without letting a flood flood the log: at most
/// <see cref="PerWindow"/> lines per <see cref="Window"/>, then one line with how many were not logged.
/// </summary>
internal sealed class RefusalLog(ILogger logger, TimeProvider time)
{
    private const int PerWindow = 10;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<HandshakeRefusal, long> _counts = new();
    private readonly Lock _gate = new();
    private long _windowStart = long.MinValue;
    private int _logged;
    private long _suppressed;

    public long Total => _counts.Values.Sum();

    /// <summary>Counts per reason, named as status shows them (<c>too_many_pending</c>, <c>unconfirmed</c>, ...).</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts.ToDictionary(c => CounterNames.Of(c.Key), c => c.Value);

    public void Refused(HandshakeRefusal reason, string remote, string message)
    {
        _counts.AddOrUpdate(reason, 1, (_, n) => n + 1);
        long report = 0;
        bool log;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) >= Window)
            {
                (report, _suppressed, _logged, _windowStart) = (_suppressed, 0, 0, now);
            }

            log = _logged < PerWindow;
            if (log)
            {
                _logged++;
            }
            else
            {
                _suppressed++;
            }
        }

        if (report > 0)
        {
            MessagingLog.RefusalsSuppressed(logger, report, (int)Window.TotalSeconds);
        }

        if (log)
        {
            MessagingLog.HandshakeRefused(logger, remote, message);
        }
    }
}
