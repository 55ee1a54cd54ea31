using ClusterD.Membership;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Heartbeats;
using ClusterD.Membership.Runtime;
using ClusterD.Membership.Views;
using ClusterD.Messaging.Security;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.TestKit.Simulation;

/// <summary>
/// N membership cores over one <see cref="SimNetwork"/> and one <see cref="FakeTimeProvider"/>.
/// Nodes can crash, freeze (SIGSTOP: inbound datagrams wait), thaw, restart with a new
/// incarnation, or leave cleanly. Every view change of every node is recorded in order.
/// </summary>
public sealed class SimCluster
{
    private readonly SimNode[] _nodes;
    private readonly long _start;

    public SimCluster(ClusterConfiguration config, int seed, AuthKeyRing? keys = null, Func<int, AuthKeyRing>? keysFor = null)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        Network = new SimNetwork(seed);
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _start = Time.GetTimestamp();
        Keys = keys ?? new AuthKeyRing(AuthKey.Generate(1), []);
        KeysFor = keysFor ?? (_ => Keys);
        _nodes = Enumerable.Range(0, config.Nodes.Count).Select(i => new SimNode(this, i)).ToArray();
    }

    public ClusterConfiguration Config { get; }

    public SimNetwork Network { get; }

    public FakeTimeProvider Time { get; }

    public AuthKeyRing Keys { get; }

    /// <summary>The key ring each node starts with (all share <see cref="Keys"/> unless given).</summary>
    public Func<int, AuthKeyRing> KeysFor { get; }

    public TimeSpan Now => Time.GetElapsedTime(_start);

    public IReadOnlyList<SimNode> Nodes => _nodes;

    public SimNode this[int index] => _nodes[index];

    /// <summary>Every view installed by any node: (node index, change).</summary>
    public List<(int Node, ViewChange Change)> History { get; } = [];

    /// <summary>Every change of a node's trust in its own view (after pauses of its own): (node index, change).</summary>
    public List<(int Node, ViewTrustChange Change)> TrustHistory { get; } = [];

    public void StartAll()
    {
        foreach (var node in _nodes)
        {
            node.Start();
        }
    }

    /// <summary>Runs the cluster for <paramref name="duration"/> in steps of at most <paramref name="step"/> (1 ms by default).</summary>
    public void RunFor(TimeSpan duration, TimeSpan? step = null)
    {
        var end = Now + duration;
        var max = step ?? TimeSpan.FromMilliseconds(1);
        while (Now < end)
        {
            var next = Min(end, Now + max);
            if (Network.NextArrival is { } arrival && arrival > Now && arrival < next)
            {
                next = arrival;
            }

            Time.Advance(next - Now);
            Step();
        }
    }

    /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="limit"/> passes; returns whether it held.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var end = Now + limit;
        while (!condition())
        {
            if (Now >= end)
            {
                return false;
            }

            RunFor(TimeSpan.FromMilliseconds(1));
        }

        return true;
    }

    /// <summary>True when every running node has installed the same view with exactly <paramref name="members"/>.</summary>
    public bool Agree(params int[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var expected = members.Select(i => Config.Nodes[i].Id).Order().ToArray();
        var views = members.Select(i => _nodes[i]).Where(n => n.IsRunning).Select(n => n.Core!.View).ToArray();
        return views.Length == members.Length
            && views.All(v => v.Ring == views[0].Ring && v.Members.Select(m => m.Id).SequenceEqual(expected));
    }

    /// <summary>
    /// Checks the agreement invariants over everything installed so far: on every node ring
    /// sequence numbers strictly increase, and every node that installed a given ring installed
    /// it with the same members. Returns the violations (empty when none).
    /// </summary>
    public IReadOnlyList<string> InvariantViolations()
    {
        var violations = new List<string>();
        foreach (var group in History.GroupBy(h => h.Node))
        {
            var seqs = group.Select(h => h.Change.Current.Ring.Seq).ToArray();
            for (var i = 1; i < seqs.Length; i++)
            {
                if (seqs[i] <= seqs[i - 1])
                {
                    violations.Add($"node index {group.Key}: ring seq {seqs[i]} after {seqs[i - 1]}");
                }
            }
        }

        foreach (var ring in History.GroupBy(h => h.Change.Current.Ring))
        {
            var sets = ring.Select(h => string.Join(",", h.Change.Current.Members)).Distinct().ToArray();
            if (sets.Length > 1)
            {
                violations.Add($"ring {ring.Key} installed with different members: {string.Join(" | ", sets)}");
            }
        }

        return violations;
    }

    /// <summary>Delivers the datagrams due now and ticks the nodes that are due, without moving the clock.</summary>
    public void Step()
    {
        var now = Now;
        Network.DeliverDue(now, d => _nodes[d.To].Deliver(d.Link, d.Datagram, now));
        foreach (var node in _nodes)
        {
            node.TickIfDue(now);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>One simulated node: its core, its persisted ring sequence and incarnation, its run state.</summary>
    public sealed class SimNode : IDatagramSink
    {
        private readonly SimCluster _cluster;
        private readonly List<(int Link, byte[] Datagram)> _frozenInbox = [];

        internal SimNode(SimCluster cluster, int index)
        {
            _cluster = cluster;
            Index = index;
        }

        public int Index { get; }

        public NodeId Id => _cluster.Config.Nodes[Index].Id;

        public MembershipNode? Core { get; private set; }

        public bool IsRunning => Core is not null && !IsFrozen;

        public bool IsFrozen { get; private set; }

        public ulong PersistedRingSeq { get; private set; }

        public ulong LastIncarnation { get; private set; }

        public List<DatagramVerdict> Verdicts { get; } = [];

        public void Start()
        {
            LastIncarnation++;
            Core = new MembershipNode(_cluster.Config, Id, LastIncarnation, PersistedRingSeq, _cluster.KeysFor(Index), this);
            Core.Start(_cluster.Now);
            Collect();
        }

        /// <summary>Like SIGKILL: the core vanishes without a word.</summary>
        public void Crash()
        {
            Core = null;
            IsFrozen = false;
            _frozenInbox.Clear();
        }

        /// <summary>Like systemctl stop: announce the leave, then vanish.</summary>
        public void Stop()
        {
            Core?.Leave(_cluster.Now);
            Crash();
        }

        public void Restart()
        {
            Crash();
            Start();
        }

        /// <summary>Like SIGSTOP: no ticks, inbound datagrams queue in the socket buffer.</summary>
        public void Freeze() => IsFrozen = true;

        /// <summary>Like SIGCONT: the queued datagrams arrive at once, then normal operation.</summary>
        /// <param name="timerFirst">The overdue timer fires before the queued datagrams are read (a real process may do either).</param>
        public void Thaw(bool timerFirst = false)
        {
            IsFrozen = false;
            var now = _cluster.Now;
            if (timerFirst)
            {
                Core?.Tick(now);
                Collect();
            }

            foreach (var (link, datagram) in _frozenInbox)
            {
                Deliver(link, datagram, now);
            }

            _frozenInbox.Clear();
            TickIfDue(now);
        }

        /// <summary>Hands a datagram to this node as if it arrived on <paramref name="link"/>.</summary>
        public DatagramVerdict? Deliver(int link, byte[] datagram, TimeSpan now)
        {
            if (Core is null)
            {
                return null;
            }

            if (IsFrozen)
            {
                _frozenInbox.Add((link, datagram));
                return null;
            }

            var verdict = Core.Receive(link, datagram, now);
            Verdicts.Add(verdict);
            Collect();
            return verdict;
        }

        void IDatagramSink.Send(int nodeIndex, int link, ReadOnlySpan<byte> datagram) =>
            _cluster.Network.Send(Index, nodeIndex, link, datagram, _cluster.Now);

        internal void TickIfDue(TimeSpan now)
        {
            if (Core is null || IsFrozen || Core.NextWakeup(now) > now)
            {
                return;
            }

            Core.Tick(now);
            Collect();
        }

        private void Collect()
        {
            PersistedRingSeq = Core!.HighestProposedSeq;
            foreach (var change in Core.TakeViewChanges())
            {
                _cluster.History.Add((Index, change));
            }

            foreach (var change in Core.TakeTrustChanges())
            {
                _cluster.TrustHistory.Add((Index, change));
            }
        }
    }
}
