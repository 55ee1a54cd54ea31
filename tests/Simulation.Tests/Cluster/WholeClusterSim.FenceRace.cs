using ClusterD.Controller.Core;
using ClusterD.Fencing.Policy;
using ClusterD.Fencing.Witness;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>How the simulated fencer decides a fence race.</summary>
internal enum SimFenceRace
{
    /// <summary>No race logic: a fence powers its victim off after the device's time (the fault runs).</summary>
    Instant,

    /// <summary>The real <see cref="FenceDelayPolicy"/>: the side fencing the node with the promoted instance waits the delay.</summary>
    PriorityDelay,

    /// <summary>The real <see cref="WitnessArbitration"/> over <see cref="SimWitness"/>, falling back to the delay when it does not answer.</summary>
    Witness,
}

/// <summary>The fence race: the fencer's delay or the cloud witness, as the real fencer decides it, on the simulated clock.</summary>
internal sealed partial class WholeClusterSim
{
    /// <summary>One lease request's round trip to the witness.</summary>
    private static readonly TimeSpan WitnessLatency = TimeSpan.FromMilliseconds(20);

    public SimFenceRace FenceRace { get; set; } = SimFenceRace.Instant;

    public SimWitness Witness { get; } = new();

    public WitnessOptions WitnessTimings { get; set; } = new();

    /// <summary>Every fence and witness event the controllers published, with the node that published it.</summary>
    public List<(TimeSpan At, string Node, ControllerEvent Event)> FenceEvents { get; } = [];

    /// <summary>The node holding the promoted instance (by ground truth), if exactly one does.</summary>
    public SimHost? Active => _hosts.SingleOrDefault(h => h.PoweredOn && h.Resources.GetValueOrDefault(SimShape.Drbd) == InstanceRole.Promoted);

    /// <summary>Every running controller's status shows the promoted instance where it really runs, and no transition is under way.</summary>
    public bool ReplicasShowActive() => Active is { } active && _hosts.All(h => h.Running
        && h.Controller!.Status().Resources.Any(r => r.Id == SimShape.Drbd && r.Instances.Any(i => i.Node == active.Name && i.Role == InstanceRole.Promoted)));

    /// <summary>The link between the two nodes fails both ways (membership and sessions); both machines run on.</summary>
    public void Partition()
    {
        Log("FAULT partition node1 | node2");
        _membership.Network.Cut(0, 1);
        _sessions.Cut(0, 1);
    }

    /// <summary>The machine dies hard (power, kernel panic): nobody fenced it.</summary>
    public void Crash(SimHost host) => PowerOff(host, fenced: false);

    /// <summary>An operator moves the promoted instance to the other node.</summary>
    public void Switchover() => Admin(_hosts.First(h => h.Running), new SwitchoverResource(SimShape.Clone));

    private void StartFence(SimHost requester, RunFence fence)
    {
        var race = FenceRace == SimFenceRace.Instant ? Fencing.Policy.FenceRace.None : FenceDelayPolicy.RaceFor(fence.Config, fence.Status, fence.Target);
        if (FenceRace == SimFenceRace.Witness && race != Fencing.Policy.FenceRace.None)
        {
            Arbitrate(requester, fence, race);
            return;
        }

        var delay = FenceRace == SimFenceRace.Instant ? TimeSpan.Zero : FenceDelayPolicy.DelayFor(fence.Config, fence.Status, fence.Target);
        PowerOffLater(requester, fence.Target, delay, arbitration: null);
    }

    private void Arbitrate(SimHost requester, RunFence fence, FenceRace race)
    {
        var generation = requester.Generation;
        var arbitration = new WitnessArbitration(fence.Target, race == Fencing.Policy.FenceRace.Disfavoured, WitnessTimings, _epoch + Now);
        At(arbitration.AttemptAt - _epoch, () =>
        {
            if (requester.Generation != generation)
            {
                return;
            }

            var sentAt = _epoch + Now;
            var reply = Witness.Acquire(requester.Name, Now, WitnessTimings.LeaseDuration);
            Log($"{requester.Name} witness acquire: {reply.Result}");
            At(Now + WitnessLatency, () =>
            {
                if (requester.Generation != generation)
                {
                    return; // the daemon died while its request was under way
                }

                var (verdict, decision) = arbitration.Acquired(reply, sentAt, _epoch + Now);
                Apply(requester.Index, new WitnessDecided(decision));
                switch (verdict)
                {
                    case WitnessVerdict.Fence:
                        PowerOffLater(requester, fence.Target, TimeSpan.Zero, arbitration);
                        break;
                    case WitnessVerdict.DoNotFence:
                        Apply(requester.Index, new FenceFinished(fence.Target, false, "not fenced: the other side holds the witness lease"));
                        break;
                    default:
                        PowerOffLater(requester, fence.Target, FenceDelayPolicy.DelayFor(fence.Config, fence.Status, fence.Target), arbitration: null);
                        break;
                }
            });
        });
    }

    /// <summary>The device powers <paramref name="target"/> off <paramref name="delay"/> and its own time from now, unless the requester dies first.</summary>
    private void PowerOffLater(SimHost requester, string target, TimeSpan delay, WitnessArbitration? arbitration)
    {
        var generation = requester.Generation;
        var took = TimeSpan.FromMilliseconds(_random.Next(50, 3000));
        At(Now + delay + took, () =>
        {
            if (requester.Generation != generation)
            {
                return; // the fence agent died with the daemon that ran it
            }

            var victim = _hosts[_names.IndexOf(target)];
            var succeeded = Now >= _fenceFailUntil;
            Log($"{requester.Name} fence {target}: {(succeeded ? "powered off" : "failed (injected)")}");
            if (succeeded)
            {
                FencedNodes.Add(target);
                PowerOff(victim, fenced: true);
            }

            if (arbitration?.ShouldRelease(succeeded) == true)
            {
                Apply(requester.Index, new WitnessDecided(arbitration.Released(Witness.Release(requester.Name), _epoch + Now)));
            }

            Apply(requester.Index, new FenceFinished(target, succeeded, succeeded ? null : "injected fence failure"));
        });
    }

    private void RecordFenceEvent(SimHost host, ControllerEvent e)
    {
        if (e.Kind is ControllerEventKind.FenceRequested or ControllerEventKind.FenceFinished or ControllerEventKind.WitnessDecision)
        {
            FenceEvents.Add((Now, host.Name, e));
        }
    }
}

/// <summary>The cloud witness's blob lease on the simulated clock, as the Blob service keeps it; it can be made unreachable.</summary>
internal sealed class SimWitness
{
    public bool Reachable { get; set; } = true;

    public string? Holder { get; private set; }

    public TimeSpan Expires { get; private set; }

    /// <summary>Every node that was ever granted the lease, in order.</summary>
    public List<string> Granted { get; } = [];

    public LeaseReply Acquire(string node, TimeSpan now, TimeSpan duration)
    {
        if (!Reachable)
        {
            return LeaseReply.Unreachable("no answer (simulated)");
        }

        if (Holder is not null && Holder != node && now < Expires)
        {
            return LeaseReply.HeldByOther($"409 LeaseAlreadyPresent (held by {Holder})");
        }

        Holder = node;
        Expires = now + duration;
        Granted.Add(node);
        return LeaseReply.Granted("201");
    }

    public LeaseReply Release(string node)
    {
        if (!Reachable)
        {
            return LeaseReply.Unreachable("no answer (simulated)");
        }

        if (Holder != node)
        {
            return LeaseReply.NotHeld("409 LeaseIdMismatchWithLeaseOperation");
        }

        Holder = null;
        return LeaseReply.Granted("200");
    }
}
