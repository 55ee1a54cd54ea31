namespace ClusterD.Membership;

/// <summary>A corosync node id (<c>nodelist.node.nodeid</c>), never 0.</summary>
public readonly record struct NodeId(uint Value) : IComparable<NodeId>
{
    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
