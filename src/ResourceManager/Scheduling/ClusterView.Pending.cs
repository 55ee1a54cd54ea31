using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// Pending nodes: up and in the membership but not joined yet. Pacemaker 2.1.5 reads such a node as
// online and in standby, and no action can run on it until it joins (checked with crm_simulate,
// docs/scheduler.md "Pending nodes"): nothing new is placed there, what its history shows active there
// stays as it is (a stop, demote or recovery would have to run there), and a resource it has never
// probed cannot start anywhere, since Pacemaker probes every node before a first start.
internal sealed partial class ClusterView
{
    /// <summary>Some node is pending (most runs have none, and skip every check below).</summary>
    public bool HasPendingNodes { get; private set; }

    /// <summary>An instance active on a pending node: it stays there in its role until the node joins.</summary>
    public bool IsHeldOnPendingNode(string primitive, string node) =>
        HasPendingNodes && FindNode(node) is { Pending: true } && ActiveOf(primitive).ContainsKey(node);

    /// <summary>The pending nodes a primitive is active on (<see cref="IsHeldOnPendingNode"/>).</summary>
    public IEnumerable<string> HeldNodesOf(string primitive) =>
        HasPendingNodes ? ActiveOf(primitive).Keys.Where(n => FindNode(n) is { Pending: true }) : [];

    /// <summary>
    /// A primitive active nowhere (unclean nodes included) with no history on a pending node: its probe
    /// there cannot run, and Pacemaker starts none of its instances before every node has been probed.
    /// A location that turns discovery off for that node (<c>resource-discovery=never</c>) means no probe.
    /// Whether it runs anywhere counts per primitive: a group member that has never been probed there
    /// is held back while the members before it run (Pacemaker's "Start ... blocked").
    /// </summary>
    public bool IsUnprobed(string primitive)
    {
        if (!HasPendingNodes || ActiveOf(primitive).Count > 0 || LostOf(primitive).Count > 0)
        {
            return false;
        }

        var history = HistoryOf(primitive);
        return Nodes.Any(n => n.Pending && !history.Contains(n.Name) && !DiscoveryOff(primitive, n.Name));
    }

    /// <summary>A location for this node with <c>resource-discovery=never</c>, on the primitive or what contains it.</summary>
    private bool DiscoveryOff(string primitive, string node)
    {
        for (var id = primitive; id is not null; id = Index.ParentOf(id)?.Id)
        {
            if (Index.LocationsOf(id).Any(l => l.Node == node && l.ResourceDiscovery == ResourceDiscovery.Never))
            {
                return true;
            }
        }

        return false;
    }
}
