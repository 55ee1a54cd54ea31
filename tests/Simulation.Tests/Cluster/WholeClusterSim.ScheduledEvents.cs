using ClusterD.Controller.Core;
using ClusterD.Fencing.Azure;
using ClusterD.Membership.Runtime;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>Azure Scheduled Events in the whole-cluster simulation: announcements to every node, and the covers their controllers give membership.</summary>
internal sealed partial class WholeClusterSim
{
    /// <summary>
    /// The instance metadata service of every running node lists a Freeze of <paramref name="node"/> (its VM
    /// name is its node name) from <paramref name="notBefore"/> for <paramref name="duration"/>.
    /// </summary>
    public void AnnounceFreeze(int node, TimeSpan notBefore, TimeSpan duration)
    {
        var freeze = new ScheduledEvent($"freeze-{_names[node]}", ScheduledEventType.Freeze, [_names[node]], false, _epoch + notBefore, duration, "");
        Log($"Freeze of {_names[node]} announced: not before {notBefore.TotalSeconds:0.000}, {duration.TotalSeconds:0} s");
        foreach (var host in _hosts.Where(h => h.Controller is not null))
        {
            Apply(host.Index, new ScheduledEventsInput([freeze]));
        }
    }

    /// <summary>The VM of <paramref name="node"/> is paused (daemon, membership and sessions) at <paramref name="at"/> for <paramref name="duration"/>.</summary>
    public void FreezeAt(int node, TimeSpan at, TimeSpan duration)
    {
        var host = _hosts[node];
        At(at, () =>
        {
            Log($"{host.Name} VM frozen for {duration.TotalSeconds:0.###} s");
            Freeze(host);
        });
        At(at + duration, () => Thaw(host));
    }

    /// <summary>Names of the nodes fenced so far, in order.</summary>
    public List<string> FencedNodes { get; } = [];

    /// <summary>A controller's covers go to its own membership core, on the same timeline.</summary>
    private void ApplyCovers(int node, SetDetectionCovers covers)
    {
        var nodes = _membership.Config.Nodes;
        var ids = nodes.Nodes.ToDictionary(n => n.Name, n => n.Id, StringComparer.Ordinal);
        _membership[node].Core?.SetCovers([.. covers.Covers.Select(c => new DetectionCover(ids[c.Node], c.From - _epoch, c.Until - _epoch))]);
        Log($"{_names[node]} covers [{string.Join(", ", covers.Covers.Select(c => $"{c.Node} {(c.From - _epoch).TotalSeconds:0.000}-{(c.Until - _epoch).TotalSeconds:0.000}"))}]");
    }
}
