using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// A snapshot of the cluster the scheduler plans from: quorum, nodes, what runs where in which role,
/// fail counts and the last result of each operation. Immutable and compared by value; read from
/// <c>clusterctl status --json</c> (<see cref="StatusJson"/>) or a CIB's <c>status</c> section.
/// </summary>
public sealed record ClusterStatus
{
    public static ClusterStatus Empty { get; } = new();

    public string? Cluster { get; init; }

    public bool Quorate { get; init; }

    /// <summary>The designated controller's node name; null when there is none.</summary>
    public string? Dc { get; init; }

    public string? RingId { get; init; }

    public EquatableArray<NodeStatus> Nodes { get; init; }

    public EquatableArray<ResourceStatus> Resources { get; init; }

    public EquatableArray<Failcount> Failcounts { get; init; }

    public EquatableArray<OperationRecord> Operations { get; init; }

    public NodeStatus? FindNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public ResourceStatus? FindResource(string id) => Resources.FirstOrDefault(r => r.Id == id);

    public InstanceRole RoleOf(string resource, string node) => FindResource(resource)?.RoleOn(node) ?? InstanceRole.Stopped;

    /// <summary>The fail count of a primitive on a node; zero when none.</summary>
    public Failcount FailcountOf(string resource, string node) =>
        Failcounts.FirstOrDefault(f => f.Resource == resource && f.Node == node) ?? new Failcount(resource, node, Score.Zero);

    /// <summary>The last recorded result of an operation, if any.</summary>
    public OperationRecord? LastOperation(string resource, string node, string operation, Duration interval = default) =>
        Operations.FirstOrDefault(o => o.Resource == resource && o.Node == node && o.Operation == operation && o.Interval == interval);

    /// <summary>Every node online, nothing running: what <c>simulate</c> assumes without <c>--status</c>.</summary>
    public static ClusterStatus AllOnline(IEnumerable<string> nodes) => new()
    {
        Quorate = true,
        Nodes = [.. nodes.Select(n => new NodeStatus(n, Online: true))],
    };
}
