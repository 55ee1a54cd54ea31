namespace ClusterD.TestKit.Simulation;

/// <summary>
/// A seeded, fault-injecting in-memory datagram network for whole-cluster simulations of the
/// membership cores: per-direction and per-link cuts, random loss, delay with jitter and
/// duplication. Deterministic for a given seed.
/// </summary>
public sealed class SimNetwork(int seed)
{
    private readonly Random _random = new(seed);
    private readonly HashSet<(int From, int To, int Link)> _cut = [];
    private readonly PriorityQueue<InFlight, (TimeSpan, long)> _inFlight = new();
    private long _order;

    public int Seed { get; } = seed;

    public double LossRate { get; set; }

    public double DuplicateRate { get; set; }

    public TimeSpan MinDelay { get; set; } = TimeSpan.FromMicroseconds(100);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMicroseconds(500);

    public long Sent { get; private set; }

    public long Delivered { get; private set; }

    /// <summary>Cuts traffic from <paramref name="from"/> to <paramref name="to"/> on <paramref name="link"/> (all links when null).</summary>
    public void CutOneWay(int from, int to, int? link = null)
    {
        for (var l = link ?? 0; l <= (link ?? 7); l++)
        {
            _cut.Add((from, to, l));
        }
    }

    public void Cut(int a, int b, int? link = null)
    {
        CutOneWay(a, b, link);
        CutOneWay(b, a, link);
    }

    /// <summary>Splits the nodes into sides that cannot reach each other.</summary>
    public void Partition(params int[][] sides)
    {
        ArgumentNullException.ThrowIfNull(sides);
        foreach (var side in sides)
        {
            foreach (var other in sides.Where(s => s != side))
            {
                foreach (var a in side)
                {
                    foreach (var b in other)
                    {
                        CutOneWay(a, b);
                    }
                }
            }
        }
    }

    public void HealAll() => _cut.Clear();

    public void Heal(int a, int b)
    {
        _cut.RemoveWhere(c => (c.From == a && c.To == b) || (c.From == b && c.To == a));
    }

    public void Send(int from, int to, int link, ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        Sent++;
        if (_cut.Contains((from, to, link)) || _random.NextDouble() < LossRate)
        {
            return;
        }

        var copies = _random.NextDouble() < DuplicateRate ? 2 : 1;
        for (var c = 0; c < copies; c++)
        {
            var delay = MinDelay + ((MaxDelay - MinDelay) * _random.NextDouble());
            _inFlight.Enqueue(new InFlight(from, to, link, datagram.ToArray()), (now + delay, _order++));
        }
    }

    /// <summary>Delivers every datagram due at or before <paramref name="now"/>, in arrival order.</summary>
    public void DeliverDue(TimeSpan now, Action<InFlight> deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        while (_inFlight.TryPeek(out var item, out var due) && due.Item1 <= now)
        {
            _inFlight.Dequeue();
            Delivered++;
            deliver(item);
        }
    }

    public TimeSpan? NextArrival => _inFlight.TryPeek(out _, out var due) ? due.Item1 : null;

    public sealed record InFlight(int From, int To, int Link, byte[] Datagram);
}
