using ClusterD.Controller.Core;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>The faults, the machines' lives (power, daemon, SIGSTOP) and the operator.</summary>
internal sealed partial class WholeClusterSim
{
    private readonly Dictionary<long, AdminOutcome> _replies = [];
    private int _hung;
    private TimeSpan _fenceFailUntil;
    private bool _armedDcLoss;
    private int? _armedConfigChange;
    private long _adminId;
    private bool _healed;

    /// <summary>Agent calls hanging until their timeout that have not ended yet.</summary>
    public int Hung => _hung;

    /// <summary>Puts every fault of <paramref name="schedule"/> on the clock.</summary>
    public void Schedule(FaultSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        foreach (var fault in schedule.Faults)
        {
            At(fault.At, () => Inject(fault));
        }
    }

    private void Inject(Fault fault)
    {
        Log($"FAULT {fault}");
        var host = _hosts[fault.Node];
        var (a, b) = (fault.Node, fault.Other);
        switch (fault.Kind)
        {
            case FaultKind.PowerOff:
                PowerOff(host, fenced: false);
                break;
            case FaultKind.PowerOn:
                PowerOn(fault.Node);
                break;
            case FaultKind.DaemonRestart:
                if (host.Controller is not null)
                {
                    KillDaemon(host);
                    At(Now + fault.Duration, () => StartDaemon(host));
                }

                break;
            case FaultKind.Freeze:
                Freeze(host);
                At(Now + fault.Duration, () => Thaw(host));
                break;
            case FaultKind.Cut:
                _membership.Network.Cut(a, b);
                _sessions.Cut(a, b);
                At(Now + fault.Duration, () => HealLink(a, b));
                break;
            case FaultKind.CutOneWay:
                _membership.Network.CutOneWay(a, b);
                _sessions.CutOneWay(a, b);
                At(Now + fault.Duration, () => HealLink(a, b));
                break;
            case FaultKind.LossAndDelay:
                _membership.Network.LossRate = 0.1 + (fault.Variant % 5 * 0.1);
                _membership.Network.MaxDelay = TimeSpan.FromMilliseconds(1 + (fault.Variant % 400));
                _sessions.MaxLatency = TimeSpan.FromMilliseconds(2 + fault.Variant);
                At(Now + fault.Duration, NormalNetwork);
                break;
            case FaultKind.SessionReset:
                _sessions.Break(a, b, Now);
                break;
            case FaultKind.AgentFailures:
                host.AgentFaultsUntil = Max(host.AgentFaultsUntil, Now + fault.Duration);
                break;
            case FaultKind.FenceFailures:
                _fenceFailUntil = Max(_fenceFailUntil, Now + fault.Duration);
                break;
            case FaultKind.DcLossMidTransition:
                _armedDcLoss = true;
                break;
            case FaultKind.ConfigChangeMidTransition:
                _armedConfigChange = fault.Variant;
                break;
        }
    }

    /// <summary>A DC just requested an action: the armed faults strike now, in the middle of its transition.</summary>
    private void OnActionRequested(SimHost dc)
    {
        if (_armedDcLoss)
        {
            _armedDcLoss = false;
            At(Now, () =>
            {
                Log($"FAULT DC {dc.Name} loses power mid-transition");
                PowerOff(dc, fenced: false);
            });
        }

        if (_armedConfigChange is { } variant)
        {
            _armedConfigChange = null;
            At(Now, () => ChangeConfiguration(variant));
        }
    }

    private void ChangeConfiguration(int variant)
    {
        var running = _hosts.Where(h => h.Running).ToList();
        if (running.Count == 0)
        {
            return;
        }

        var host = running[variant % running.Count];
        var node = _names[variant / 7 % _names.Length];
        AdminCommand command = (variant / 3 % 6) switch
        {
            0 => new SetStandby(node, true),
            1 => new SetStandby(node, false),
            2 => new SwitchoverResource(SimShape.Clone),
            3 => new MoveResource(SimShape.Group, node),
            4 => new ClearResource(SimShape.Clone),
            _ => new LoadConfiguration(SimShape.Config(variant % 2 == 0 ? "200" : "50"), Replace: true),
        };
        Admin(host, command);
    }

    private long Admin(SimHost host, AdminCommand command)
    {
        var id = ++_adminId;
        Log($"{host.Name} ADMIN #{id} {command}");
        Apply(host.Index, new AdminInput(id, command));
        return id;
    }

    /// <summary>Every fault ends: links heal, the network is clean, frozen daemons resume, machines and daemons start.</summary>
    public void HealAll()
    {
        Log("HEAL: faults stop");
        _healed = true;
        _armedDcLoss = false;
        _armedConfigChange = null;
        _fenceFailUntil = TimeSpan.Zero;
        _membership.Network.HealAll();
        _sessions.HealAll();
        NormalNetwork();
        foreach (var host in _hosts)
        {
            host.AgentFaultsUntil = TimeSpan.Zero;
            Thaw(host);
            PowerOn(host.Index);
            StartDaemon(host);
        }
    }

    /// <summary>
    /// What an operator does after the storm, once no hung call can still fail: takes both nodes out of
    /// standby, clears the move and switchover constraints, cleans up the fail counts. True once every
    /// command was accepted by a node of a quorate view.
    /// </summary>
    public bool OperatorReset()
    {
        if (_hung > 0 || _hosts.FirstOrDefault(h => h.Running && h.Controller!.View is { Quorate: true }) is not { } host)
        {
            return false;
        }

        AdminCommand[] commands =
        [
            .. _names.Select(n => new SetStandby(n, false)),
            new ClearResource(SimShape.Clone),
            new ClearResource(SimShape.Group),
            new CleanupResource(null, null),
        ];
        var ids = commands.Select(c => Admin(host, c)).ToList();
        return ids.All(id => _replies.TryGetValue(id, out var outcome) && outcome.Succeeded);
    }

    private void PowerOn(int node)
    {
        var host = _hosts[node];
        if (host.PoweredOn)
        {
            return;
        }

        Log($"{host.Name} boots");
        host.PoweredOn = true;
        host.Resources.Clear(); // a boot starts nothing: the cluster does
        StartDaemon(host);
    }

    /// <summary>The machine goes dark. Fenced: the fencer confirmed it, its resources are gone for sure.</summary>
    private void PowerOff(SimHost host, bool fenced)
    {
        if (host.PoweredOn)
        {
            Log($"{host.Name} powers off{(fenced ? " (fenced)" : "")}");
            host.PoweredOn = false;
            KillDaemon(host);
        }

        if (fenced)
        {
            host.Resources.Clear();
        }

        if (_healed)
        {
            // After the storm a fenced machine is switched on again, as an operator (or a reboot fence) would.
            At(Now + RebootDelay, () => PowerOn(host.Index));
        }
    }

    /// <summary>The process of <paramref name="resource"/> on <paramref name="host"/> dies by itself (its monitor must notice).</summary>
    public void KillResource(SimHost host, string resource)
    {
        ArgumentNullException.ThrowIfNull(host);
        Log($"{host.Name} {resource} dies");
        host.Resources.Remove(resource);
    }

    private void KillDaemon(SimHost host)
    {
        if (host.Controller is null)
        {
            return;
        }

        Log($"{host.Name} daemon dies");
        host.Controller = null;
        host.Frozen = false;
        host.Inbox.Clear();
        host.Generation++;

        // A fence device "runs" as a registration with the daemon's own fencer: it dies with the daemon.
        host.Resources.Remove(SimShape.FenceDevice);
        _membership[host.Index].Crash();
        _sessions.Thaw(host.Index);
        _sessions.BreakAll(host.Index, Now);
    }

    private void StartDaemon(SimHost host)
    {
        if (!host.PoweredOn || host.Controller is not null)
        {
            return;
        }

        Log($"{host.Name} daemon starts");
        host.Generation++;
        host.Controller = new ControllerCore(host.Name, _names, host.Persisted ?? _initial);
        host.NextWake = null;
        _membership[host.Index].Start();
        DrainViews();
    }

    private void Freeze(SimHost host)
    {
        if (host.Controller is null || host.Frozen)
        {
            return;
        }

        host.Frozen = true;
        _membership[host.Index].Freeze();
        _sessions.Freeze(host.Index);
    }

    /// <summary>
    /// SIGCONT: the membership loop and the controller loop resume together, so either may go first: the
    /// seed picks. When the controller goes first it handles what queued up under the view it had.
    /// </summary>
    private void Thaw(SimHost host)
    {
        if (!host.Frozen)
        {
            return;
        }

        var membershipFirst = _random.Next(2) == 0;
        Log($"{host.Name} thaws ({(membershipFirst ? "membership" : "controller")} first, {host.Inbox.Count} inputs queued)");
        host.Frozen = false;
        _sessions.Thaw(host.Index);
        var inbox = host.Inbox.ToList();
        host.Inbox.Clear();
        if (membershipFirst)
        {
            _membership[host.Index].Thaw();
            DrainViews();
        }

        foreach (var input in inbox)
        {
            Apply(host.Index, input);
        }

        if (!membershipFirst)
        {
            _membership[host.Index].Thaw();
            DrainViews();
        }
    }

    private void HealLink(int a, int b)
    {
        _membership.Network.Heal(a, b);
        _sessions.Heal(a, b);
    }

    private void NormalNetwork()
    {
        _membership.Network.LossRate = 0;
        _membership.Network.MaxDelay = TimeSpan.FromMicroseconds(500);
        _sessions.MaxLatency = TimeSpan.FromMilliseconds(2);
    }

    private static readonly TimeSpan RebootDelay = TimeSpan.FromSeconds(5);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
