using System.Threading.Channels;
using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using ClusterD.Membership.Views;
using Google.Protobuf.WellKnownTypes;

namespace ClusterD.Daemon.Admin;

/// <summary>
/// Fans cluster events out to gRPC watchers: membership views (with the quorum and DC changes membership
/// reports with them) and the controller's events. Each watcher has its own bounded channel: a slow
/// watcher loses its oldest events and then receives one GAP event, and never slows the cluster.
/// </summary>
internal sealed class EventHub : IViewChangeSink
{
    /// <summary>Events a watcher may fall behind by before it loses the oldest.</summary>
    public const int WatcherCapacity = 1024;

    private readonly ClusterConfiguration _config;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Watcher> _watchers = [];

    public EventHub(ClusterConfiguration config, TimeProvider time)
    {
        _config = config;
        _time = time;
    }

    public void Publish(ViewChange change, DateTimeOffset installedAt)
    {
        ArgumentNullException.ThrowIfNull(change);
        Offer(AdminMapper.ToEvents(change, _config.Nodes, installedAt).ToArray());
    }

    /// <summary>One controller event (subscribed to <c>ControllerService.Published</c>; called on the controller's loop, never blocks).</summary>
    public void Publish(ControllerEvent controllerEvent)
    {
        ArgumentNullException.ThrowIfNull(controllerEvent);
        Offer([ControllerEventMapper.ToEvent(controllerEvent)]);
    }

    private void Offer(ClusterEvent[] events)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                foreach (var e in events)
                {
                    watcher.Offer(e);
                }
            }
        }
    }

    public Watcher Subscribe()
    {
        var watcher = new Watcher(this);
        lock (_gate)
        {
            _watchers.Add(watcher);
        }

        return watcher;
    }

    private void Remove(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>One subscriber's queue. Dispose to unsubscribe.</summary>
    internal sealed class Watcher : IDisposable
    {
        private readonly EventHub _hub;
        private readonly Channel<ClusterEvent> _channel;
        private long _dropped;

        public Watcher(EventHub hub)
        {
            _hub = hub;
            _channel = Channel.CreateBounded<ClusterEvent>(
                new BoundedChannelOptions(WatcherCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => Interlocked.Increment(ref _dropped));
        }

        public void Offer(ClusterEvent e) => _channel.Writer.TryWrite(e);

        public async IAsyncEnumerable<ClusterEvent> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken))
            {
                var dropped = Interlocked.Exchange(ref _dropped, 0);
                if (dropped > 0)
                {
                    yield return new ClusterEvent
                    {
                        Time = Timestamp.FromDateTimeOffset(_hub._time.GetUtcNow()),
                        Kind = EventKind.Gap,
                        Message = $"{dropped} events were dropped because this watcher fell behind; re-read the status",
                    };
                }

                while (_channel.Reader.TryRead(out var e))
                {
                    yield return e;
                }
            }
        }

        public void Dispose()
        {
            _hub.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
