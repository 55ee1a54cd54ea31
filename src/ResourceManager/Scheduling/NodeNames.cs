using System.Collections.Frozen;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>The nodes of one scheduling run in their fixed order (ordinal by name), with each name's position.</summary>
internal sealed class NodeNames
{
    private readonly FrozenDictionary<string, int> _positions;

    public NodeNames(IEnumerable<string> names)
    {
        Names = [.. names];
        _positions = Names.Select((n, i) => KeyValuePair.Create(n, i)).ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string[] Names { get; }

    public int Count => Names.Length;

    /// <summary>The position of <paramref name="name"/>, or -1 when it is not a node of this run.</summary>
    public int PositionOf(string name) => _positions.TryGetValue(name, out var i) ? i : -1;
}
