using ClusterD.Agents;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>
/// The safety rules (DESIGN.md section 4), checked on what really runs on the machines, not on what any
/// controller believes: never more than promoted-max Promoted; the group only where the Promoted instance
/// is; no resource of a lost node recovered (started, promoted) elsewhere before its fence succeeded; no
/// action requested by a node that is not the DC of the quorate view its membership installed.
/// </summary>
internal sealed partial class WholeClusterSim
{
    private void CheckInvariants()
    {
        // Plain loops: this runs after every step of every seed.
        var promoted = 0;
        foreach (var host in _hosts)
        {
            var drbd = host.Resources.GetValueOrDefault(SimShape.Drbd);
            promoted += drbd == InstanceRole.Promoted ? 1 : 0;
            foreach (var (resource, _) in host.Resources)
            {
                if (Array.IndexOf(SimShape.GroupMembers, resource) >= 0 && drbd != InstanceRole.Promoted)
                {
                    Violate($"{resource} active on {host.Name} where {SimShape.Drbd} is {drbd}");
                }

                if (!SimShape.MayRunTwice(resource) && _hosts.Count(h => h.Resources.ContainsKey(resource)) > 1)
                {
                    Violate($"{resource} active on {string.Join(" and ", _hosts.Where(h => h.Resources.ContainsKey(resource)).Select(h => h.Name))}");
                }
            }
        }

        if (promoted > SimShape.PromotedMax)
        {
            Violate($"{SimShape.Drbd} Promoted on {string.Join(" and ", _hosts.Where(h => h.Resources.GetValueOrDefault(SimShape.Drbd) == InstanceRole.Promoted).Select(h => h.Name))} (promoted-max {SimShape.PromotedMax})");
        }
    }

    /// <summary>Before a start or promote runs on <paramref name="host"/>: nobody else may still hold what it recovers.</summary>
    private void CheckRecovery(SimHost host, AgentCall call)
    {
        var holders = call.Action switch
        {
            AgentAction.Start when !SimShape.MayRunTwice(call.Resource) => _hosts.Where(h => h != host && h.Resources.ContainsKey(call.Resource)),
            AgentAction.Promote => _hosts.Where(h => h != host && h.Resources.GetValueOrDefault(call.Resource) == InstanceRole.Promoted),
            _ => [],
        };
        foreach (var holder in holders)
        {
            var state = !holder.PoweredOn ? "powered off, not fenced" : holder.Controller is null ? "daemon down, not fenced" : holder.Frozen ? "frozen, not fenced" : "running";
            Violate($"{call.Action.ToString().ToLowerInvariant()} {call.Resource} on {host.Name} while {holder.Name} ({state}) still holds it");
        }
    }

    /// <summary>An action or fence may come only from the DC of a quorate view, the view this node's membership has installed.</summary>
    private void CheckSender(SimHost host, string what)
    {
        var membership = _membership[host.Index].Core;
        var view = host.Controller!.View;
        var ok = view is { Quorate: true, Trusted: true } && view.Dc == host.Name
            && membership is not null && membership.View.Ring.Seq == view.RingSeq && membership.Quorum.Quorate
            && membership.Dc is { } dc && _membership.Config.Nodes.NameOf(dc) == host.Name;
        if (!ok)
        {
            Violate($"{host.Name} requested {what} while not the DC of a quorate view (controller view {view?.RingId ?? "none"} dc {view?.Dc ?? "-"} quorate {view?.Quorate}; membership ring {membership?.View.Ring} quorate {membership?.Quorum.Quorate})");
        }
    }

    private void Violate(string what)
    {
        Log("VIOLATION " + what);
        Violations.Add(what);
    }

    /// <summary>Everything placed: both nodes up in one view, one Promoted with the whole group, the other Unpromoted, the fence device running.</summary>
    public bool Converged()
    {
        if (!_hosts.All(h => h.Running) || !_membership.Agree([.. _hosts.Select(h => h.Index)]))
        {
            return false;
        }

        var promoted = _hosts.Where(h => h.Resources.GetValueOrDefault(SimShape.Drbd) == InstanceRole.Promoted).ToList();
        if (promoted.Count != 1)
        {
            return false;
        }

        var active = promoted[0];
        return SimShape.GroupMembers.All(m => active.Resources.GetValueOrDefault(m) == InstanceRole.Started)
            && _hosts.Where(h => h != active).All(h => h.Resources.GetValueOrDefault(SimShape.Drbd) == InstanceRole.Unpromoted && !SimShape.GroupMembers.Any(h.Resources.ContainsKey))
            && _hosts.Any(h => h.Resources.ContainsKey(SimShape.FenceDevice));
    }

    /// <summary>The state of every machine, one line each.</summary>
    public string DescribeHosts() => string.Join("\n", _hosts.Select(h =>
        $"{h.Name}: {(h.PoweredOn ? "on" : "off")}, daemon {(h.Controller is null ? "down" : h.Frozen ? "frozen" : "up")}, view {h.Controller?.View?.RingId ?? "-"} dc {h.Controller?.View?.Dc ?? "-"}, "
        + $"resources {string.Join(" ", h.Resources.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"))}"));
}
