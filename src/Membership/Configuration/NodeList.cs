using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ClusterD.Membership.Configuration;

/// <summary>
/// The configured nodes, sorted by node id. A node's position in this list is its index in
/// every membership bitmap on the wire, so all nodes must run with the same nodelist: the
/// <see cref="Digest"/> travels in every heartbeat and a mismatch is dropped and counted.
/// </summary>
public sealed class NodeList
{
    /// <summary>Membership bitmaps are 32 bits wide (Red Hat supports 32 full corosync nodes).</summary>
    public const int MaxNodes = 32;

    private readonly Dictionary<NodeId, int> _indexById;

    public NodeList(IEnumerable<NodeConfig> nodes)
    {
        Nodes = nodes.OrderBy(n => n.Id.Value).ToArray();
        if (Nodes.Count > MaxNodes)
        {
            throw new ArgumentException($"at most {MaxNodes} nodes are supported, the nodelist has {Nodes.Count}");
        }

        _indexById = Nodes.Select((n, i) => (n.Id, i)).ToDictionary(p => p.Id, p => p.i);
        Digest = ComputeDigest(Nodes);
    }

    public IReadOnlyList<NodeConfig> Nodes { get; }

    public int Count => Nodes.Count;

    public ulong Digest { get; }

    public NodeConfig this[int index] => Nodes[index];

    public int LinkCount => Nodes.Count == 0 ? 0 : Nodes.Max(n => n.Links.Count);

    public bool TryGetIndex(NodeId id, out int index) => _indexById.TryGetValue(id, out index);

    public bool Contains(NodeId id) => _indexById.ContainsKey(id);

    /// <summary>The one map from node id to name: the configured name, or the id itself for a node not in the list.</summary>
    public string NameOf(NodeId id) => _indexById.TryGetValue(id, out var index) ? Nodes[index].Name : id.ToString();

    public NodeConfig? FindByName(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    private static ulong ComputeDigest(IReadOnlyList<NodeConfig> nodes)
    {
        // Ids, names and votes only: two nodes may legitimately see a peer under different addresses (NAT).
        var text = new StringBuilder();
        foreach (var n in nodes)
        {
            text.Append(n.Id.Value).Append(' ').Append(n.Name).Append(' ').Append(n.Votes).Append('\n');
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
