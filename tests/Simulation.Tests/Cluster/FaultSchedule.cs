using System.Collections.Immutable;
using System.Globalization;

namespace ClusterD.Simulation.Tests.Cluster;

public enum FaultKind
{
    /// <summary>The machine loses power: daemon and resources are gone (until fenced, its resources still count as held).</summary>
    PowerOff,

    /// <summary>A powered-off machine boots: clean resources, a new incarnation, the configuration it persisted.</summary>
    PowerOn,

    /// <summary>The daemon is killed (systemd kills its agents); resources keep running; it starts again after <see cref="Fault.Duration"/>.</summary>
    DaemonRestart,

    /// <summary>SIGSTOP of the daemon (membership and controller) for <see cref="Fault.Duration"/>, then SIGCONT.</summary>
    Freeze,

    /// <summary>Both directions between the two nodes cut (heartbeats and sessions) for <see cref="Fault.Duration"/>.</summary>
    Cut,

    /// <summary>One direction cut (<see cref="Fault.Node"/> to <see cref="Fault.Other"/>) for <see cref="Fault.Duration"/>.</summary>
    CutOneWay,

    /// <summary>Heartbeat loss and latency, session latency, for <see cref="Fault.Duration"/>.</summary>
    LossAndDelay,

    /// <summary>A session breaks (a TCP reset) without membership noticing: what was in flight is lost.</summary>
    SessionReset,

    /// <summary>Agent calls on <see cref="Fault.Node"/> fail (rc 1) or hang until their timeout, for <see cref="Fault.Duration"/>.</summary>
    AgentFailures,

    /// <summary>Every fence fails for <see cref="Fault.Duration"/>.</summary>
    FenceFailures,

    /// <summary>At the next action a DC requests, that DC loses power.</summary>
    DcLossMidTransition,

    /// <summary>At the next action a DC requests, an operator changes the configuration on a node.</summary>
    ConfigChangeMidTransition,
}

/// <summary>One fault at <see cref="At"/> (simulated time since the cluster started).</summary>
public sealed record Fault(TimeSpan At, FaultKind Kind, int Node, int Other, TimeSpan Duration, int Variant)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{At.TotalSeconds:0.000}s {Kind} node{Node + 1}{(Kind == FaultKind.CutOneWay ? $"->node{Other + 1}" : "")} for {Duration.TotalMilliseconds:0} ms (variant {Variant})");
}

/// <summary>A seeded random fault schedule: faults during <see cref="FaultWindow"/>, then everything heals.</summary>
public sealed record FaultSchedule(int Seed, TimeSpan FaultWindow, ImmutableArray<Fault> Faults)
{
    public static FaultSchedule Generate(int seed, int nodes = 2, TimeSpan? window = null, int minFaults = 2, int maxFaults = 7)
    {
        var random = new Random(seed);
        var length = window ?? TimeSpan.FromSeconds(30);
        var kinds = Enum.GetValues<FaultKind>();
        var count = random.Next(minFaults, maxFaults + 1);
        var faults = new List<Fault>();
        for (var i = 0; i < count; i++)
        {
            var at = length * random.NextDouble();
            var kind = kinds[random.Next(kinds.Length)];
            var node = random.Next(nodes);
            var other = (node + 1 + random.Next(nodes - 1)) % nodes;
            var duration = kind switch
            {
                // Around token (1 s): shorter ones must not change the view, longer ones must.
                FaultKind.Freeze or FaultKind.Cut or FaultKind.CutOneWay => TimeSpan.FromMilliseconds(random.Next(300, 8000)),
                FaultKind.DaemonRestart => TimeSpan.FromMilliseconds(random.Next(0, 5000)),
                _ => TimeSpan.FromMilliseconds(random.Next(500, 10_000)),
            };
            faults.Add(new Fault(at, kind, node, other, duration, random.Next(1000)));
        }

        return new FaultSchedule(seed, length, [.. faults.OrderBy(f => f.At)]);
    }
}
