namespace ClusterD.TestKit.Simulation;

/// <summary>
/// The node-to-node sessions of a whole-cluster simulation, with what <c>PeerNetwork</c> guarantees and
/// nothing more: per direction a FIFO of messages, each delivered in order after a seeded latency, or
/// lost together with everything behind it when the session breaks. A session breaks when an end crashes
/// or closes it (membership lost the peer), and when it has been stalled (a cut in either direction, or an
/// end frozen: TCP needs both ways) for longer than <see cref="SilenceLimit"/>; a stall shorter than that
/// only delays. Never a duplicate, never a reordering: TCP does not make those. Deterministic for a seed.
/// </summary>
public sealed class SimSessionNetwork(int nodes, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Queue<(byte[] Payload, TimeSpan Due)>[,] _queues = Queues(nodes);
    private readonly TimeSpan[,] _lastDue = new TimeSpan[nodes, nodes];
    private readonly TimeSpan?[,] _stalledSince = new TimeSpan?[nodes, nodes];
    private readonly HashSet<(int From, int To)> _cut = [];
    private readonly HashSet<int> _frozen = [];

    public int Nodes { get; } = nodes;

    public TimeSpan MinLatency { get; set; } = TimeSpan.FromMicroseconds(200);

    public TimeSpan MaxLatency { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>As <c>HandshakeOptions.SilenceLimit</c>: a session silent this long is closed.</summary>
    public TimeSpan SilenceLimit { get; set; } = TimeSpan.FromSeconds(5);

    public long Sent { get; private set; }

    public long Delivered { get; private set; }

    /// <summary>Messages lost in broken sessions.</summary>
    public long Dropped { get; private set; }

    public void Send(int from, int to, byte[] payload, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Sent++;
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

    /// <summary>The session between <paramref name="a"/> and <paramref name="b"/> closes: what was not delivered is lost.</summary>
    public void Break(int a, int b)
    {
        Dropped += _queues[a, b].Count + _queues[b, a].Count;
        _queues[a, b].Clear();
        _queues[b, a].Clear();
        _stalledSince[a, b] = _stalledSince[b, a] = null;
    }

    /// <summary>Every session of <paramref name="node"/> closes (it crashed or restarted).</summary>
    public void BreakAll(int node)
    {
        for (var other = 0; other < Nodes; other++)
        {
            if (other != node)
            {
                Break(node, other);
            }
        }
    }

    /// <summary>The earliest instant something can be delivered or a stalled session times out; null when idle.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            TimeSpan? next = null;
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
    /// Breaks the sessions stalled past <see cref="SilenceLimit"/>, then delivers every message due at or before
    /// <paramref name="now"/> on a session that is not stalled, in order per direction.
    /// </summary>
    public void DeliverDue(TimeSpan now, Action<int, int, byte[]> deliver)
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
                    Break(a, b);
                }
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
