namespace ClusterD.TestKit.Simulation;

/// <summary>
/// The node-to-node sessions of a whole-cluster simulation, with what <c>PeerNetwork</c> guarantees and
/// nothing more: per direction a FIFO of messages, each delivered in order after a seeded latency, or
/// lost together with everything behind it when the session breaks. A session breaks when an end crashes
/// or closes it (membership lost the peer), and when it has been stalled (a cut in either direction, or an
/// end frozen: TCP needs both ways) for longer than <see cref="SilenceLimit"/>; a stall shorter than that
/// only delays. Never a duplicate, never a reordering: TCP does not make those. A broken session is dialled
/// again: it opens <see cref="ReconnectDelay"/> later, or once it is no longer stalled, when both ends are up
/// (<see cref="IsUp"/>), and both ends are told; what is sent while it is broken is lost. Deterministic for a seed.
/// </summary>
public sealed class SimSessionNetwork(int nodes, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Queue<(byte[] Payload, TimeSpan Due)>[,] _queues = Queues(nodes);
    private readonly TimeSpan[,] _lastDue = new TimeSpan[nodes, nodes];
    private readonly TimeSpan?[,] _stalledSince = new TimeSpan?[nodes, nodes];
    private readonly HashSet<(int From, int To)> _cut = [];
    private readonly HashSet<int> _frozen = [];
    private readonly Dictionary<(int, int), TimeSpan> _broken = [];

    public int Nodes { get; } = nodes;

    public TimeSpan MinLatency { get; set; } = TimeSpan.FromMicroseconds(200);

    public TimeSpan MaxLatency { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>As <c>HandshakeOptions.SilenceLimit</c>: a session silent this long is closed.</summary>
    public TimeSpan SilenceLimit { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a broken session takes to be dialled again.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether a node's daemon runs (a session opens only between two running ends); all are, unless told.</summary>
    public Func<int, bool> IsUp { get; set; } = _ => true;

    public long Sent { get; private set; }

    public long Delivered { get; private set; }

    /// <summary>Messages lost in broken sessions.</summary>
    public long Dropped { get; private set; }

    public void Send(int from, int to, byte[] payload, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Sent++;
        if (_broken.ContainsKey(Pair(from, to)))
        {
            Dropped++;
            return;
        }

        var latency = MinLatency + ((MaxLatency - MinLatency) * _random.NextDouble());
        var due = now + latency;
        if (due < _lastDue[from, to])
        {
            due = _lastDue[from, to]; // FIFO: never before the message sent ahead of it
        }

        _lastDue[from, to] = due;
        _queues[from, to].Enqueue((payload, due));
    }

    public void CutOneWay(int from, int to) => _cut.Add((from, to));

    public void Cut(int a, int b)
    {
        CutOneWay(a, b);
        CutOneWay(b, a);
    }

    /// <summary>Heals both directions between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void Heal(int a, int b)
    {
        _cut.Remove((a, b));
        _cut.Remove((b, a));
    }

    public void HealAll() => _cut.Clear();

    /// <summary>An end stopped reading and answering (SIGSTOP): its sessions stall.</summary>
    public void Freeze(int node) => _frozen.Add(node);

    public void Thaw(int node) => _frozen.Remove(node);

    /// <summary>The session between <paramref name="a"/> and <paramref name="b"/> closes at <paramref name="now"/>: what was not delivered is lost; it is dialled again from then.</summary>
    public void Break(int a, int b, TimeSpan now)
    {
        Dropped += _queues[a, b].Count + _queues[b, a].Count;
        _queues[a, b].Clear();
        _queues[b, a].Clear();
        _stalledSince[a, b] = _stalledSince[b, a] = null;
        _broken[Pair(a, b)] = now + ReconnectDelay;
    }

    /// <summary>Every session of <paramref name="node"/> closes at <paramref name="now"/> (it crashed or restarted).</summary>
    public void BreakAll(int node, TimeSpan now)
    {
        for (var other = 0; other < Nodes; other++)
        {
            if (other != node)
            {
                Break(node, other, now);
            }
        }
    }

    /// <summary>The earliest instant something can be delivered or a stalled session times out; null when idle.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            TimeSpan? next = null;
            foreach (var ((a, b), at) in _broken)
            {
                if (!Stalled(a, b) && IsUp(a) && IsUp(b) && (next is null || at < next))
                {
                    next = at;
                }
            }

            for (var a = 0; a < Nodes; a++)
            {
                for (var b = 0; b < Nodes; b++)
                {
                    TimeSpan? due = _queues[a, b].Count == 0 ? null
                        : Stalled(a, b) ? (_stalledSince[a, b] is { } since ? since + SilenceLimit : null)
                        : _queues[a, b].Peek().Due;
                    if (due is { } d && (next is null || d < next))
                    {
                        next = d;
                    }
                }
            }

            return next;
        }
    }

    /// <summary>
    /// Breaks the sessions stalled past <see cref="SilenceLimit"/>, opens again the broken ones that can be
    /// (<paramref name="opened"/> is told of each, before anything is delivered on it), then delivers every
    /// message due at or before <paramref name="now"/> on a session that is not stalled, in order per direction.
    /// </summary>
    public void DeliverDue(TimeSpan now, Action<int, int, byte[]> deliver, Action<int, int>? opened = null)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        for (var a = 0; a < Nodes; a++)
        {
            for (var b = a + 1; b < Nodes; b++)
            {
                if (!Stalled(a, b))
                {
                    _stalledSince[a, b] = _stalledSince[b, a] = null;
                    continue;
                }

                _stalledSince[a, b] ??= now;
                _stalledSince[b, a] ??= now;
                if (now - _stalledSince[a, b]!.Value >= SilenceLimit && (_queues[a, b].Count > 0 || _queues[b, a].Count > 0))
                {
                    Break(a, b, now);
                }
            }
        }

        foreach (var ((a, b), at) in _broken.Count == 0 ? [] : _broken.OrderBy(p => p.Key).ToList())
        {
            if (at <= now && !Stalled(a, b) && IsUp(a) && IsUp(b))
            {
                _broken.Remove((a, b));
                opened?.Invoke(a, b);
            }
        }

        while (true)
        {
            (int From, int To, byte[] Payload, TimeSpan Due)? first = null;
            for (var a = 0; a < Nodes; a++)
            {
                for (var b = 0; b < Nodes; b++)
                {
                    if (_queues[a, b].Count > 0 && !Stalled(a, b) && _queues[a, b].Peek() is var head && head.Due <= now
                        && (first is null || head.Due < first.Value.Due))
                    {
                        first = (a, b, head.Payload, head.Due);
                    }
                }
            }

            if (first is not { } message)
            {
                return;
            }

            _queues[message.From, message.To].Dequeue();
            Delivered++;
            deliver(message.From, message.To, message.Payload);
        }
    }

    private static (int, int) Pair(int a, int b) => a < b ? (a, b) : (b, a);

    private bool Stalled(int a, int b) =>
        _cut.Contains((a, b)) || _cut.Contains((b, a)) || _frozen.Contains(a) || _frozen.Contains(b);

    private static Queue<(byte[], TimeSpan)>[,] Queues(int nodes)
    {
        var queues = new Queue<(byte[], TimeSpan)>[nodes, nodes];
        for (var a = 0; a < nodes; a++)
        {
            for (var b = 0; b < nodes; b++)
            {
                queues[a, b] = new Queue<(byte[], TimeSpan)>();
            }
        }

        return queues;
    }
}
