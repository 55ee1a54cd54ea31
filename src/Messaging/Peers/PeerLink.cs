using System.Collections.Concurrent;

using ClusterD.Messaging.Framing;

namespace ClusterD.Messaging.Peers;

/// <summary>Everything one node keeps about its messaging link to one peer (sessions come and go, this stays).</summary>
internal sealed class PeerLink(PeerEndpoint endpoint)
{
    private readonly Lock _gate = new();
    private long _framesIn;
    private long _framesOut;
    private long _bytesIn;
    private long _bytesOut;

    public PeerEndpoint Endpoint { get; } = endpoint;

    public PeerConnection? Current { get; private set; }

    public ulong Incarnation { get; private set; }

    public long Sessions { get; private set; }

    public string? LastError { get; set; }

    public ConcurrentDictionary<FrameError, long> Rejects { get; } = new();

    public ConcurrentDictionary<ulong, Pending> Pending { get; } = new();

    private PeerConnection? _watched;
    private long _watchedFrames;
    private long _lastArrival;

    /// <summary>How long nothing has arrived on <paramref name="session"/>, as seen at successive calls (the ping loop's ticks).</summary>
    public TimeSpan Silence(PeerConnection session, long now, TimeProvider time)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_watched, session) || session.FramesIn != _watchedFrames || session.IsDispatching)
            {
                (_watched, _watchedFrames, _lastArrival) = (session, session.FramesIn, now);
            }

            return time.GetElapsedTime(_lastArrival, now);
        }
    }

    /// <summary>Makes <paramref name="connection"/> the current session unless it comes from an older incarnation; returns the session it replaces.</summary>
    public bool TryAdopt(PeerConnection connection, out PeerConnection? replaced)
    {
        lock (_gate)
        {
            replaced = null;
            if (connection.PeerIncarnation < Incarnation)
            {
                return false;
            }

            replaced = Current;
            Current = connection;
            Incarnation = connection.PeerIncarnation;
            Sessions++;
            return true;
        }
    }

    /// <summary>Forgets <paramref name="connection"/> if it is current, folding its counters into the totals.</summary>
    public void Retire(PeerConnection connection)
    {
        lock (_gate)
        {
            _framesIn += connection.FramesIn;
            _framesOut += connection.FramesOut;
            _bytesIn += connection.BytesIn;
            _bytesOut += connection.BytesOut;
            if (ReferenceEquals(Current, connection))
            {
                Current = null;
            }
        }
    }

    public PeerLinkStatus Status()
    {
        lock (_gate)
        {
            var c = Current;
            return new PeerLinkStatus(
                Endpoint.NodeId,
                c is not null,
                c?.RemoteEndPoint?.ToString(),
                Incarnation,
                _framesIn + (c?.FramesIn ?? 0),
                _framesOut + (c?.FramesOut ?? 0),
                _bytesIn + (c?.BytesIn ?? 0),
                _bytesOut + (c?.BytesOut ?? 0),
                Math.Max(0, Sessions - 1),
                c?.QueueDepth ?? 0,
                c?.QueuedBytes ?? 0,
                c?.Rtt,
                Rejects.ToDictionary(r => CounterNames.Of(r.Key), r => r.Value),
                LastError);
        }
    }
}

/// <summary>A request waiting for its response, and the session it went out on.</summary>
internal sealed record Pending(TaskCompletionSource<byte[]> Reply, PeerConnection SentOn);
