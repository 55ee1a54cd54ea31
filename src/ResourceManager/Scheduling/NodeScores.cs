using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// A score per node (every known node, -INFINITY where a resource cannot go), with Pacemaker's
/// saturating arithmetic. A resource may run on a node only where its score is zero or more.
/// </summary>
internal sealed class NodeScores
{
    private readonly Dictionary<string, Score> _scores = new(StringComparer.Ordinal);

    public NodeScores(IEnumerable<string> nodes, Score initial)
    {
        foreach (var node in nodes)
        {
            _scores[node] = initial;
        }
    }

    public IEnumerable<string> Nodes => _scores.Keys;

    public Score this[string node]
    {
        get => _scores.GetValueOrDefault(node, Score.MinusInfinity);
        set => _scores[node] = value;
    }

    public static bool Allows(Score score) => score >= Score.Zero;

    public bool AnyAllowed => _scores.Values.Any(Allows);

    public NodeScores Copy()
    {
        var copy = new NodeScores([], Score.Zero);
        foreach (var (node, score) in _scores)
        {
            copy._scores[node] = score;
        }

        return copy;
    }

    public void Add(string node, Score score) => _scores[node] = this[node] + score;

    public void AddAll(NodeScores other)
    {
        foreach (var node in _scores.Keys.ToList())
        {
            Add(node, other[node]);
        }
    }

    /// <summary>
    /// Adds a colocated resource's preferences unless that leaves no node allowed, in which case its
    /// preferences are dropped: Pacemaker's rule when merging the scores of colocated dependents.
    /// </summary>
    public void Merge(NodeScores other)
    {
        var candidate = Copy();
        candidate.AddAll(other);
        if (candidate.AnyAllowed)
        {
            foreach (var (node, score) in candidate._scores)
            {
                _scores[node] = score;
            }
        }
    }

    /// <summary>Adds <paramref name="other"/> scaled by <paramref name="factor"/>/INFINITY, ignoring its bans.</summary>
    public void AddScaled(NodeScores other, Score factor)
    {
        foreach (var node in _scores.Keys.ToList())
        {
            var value = other[node];
            if (value.IsMinusInfinity)
            {
                continue;
            }

            Add(node, new Score((int)((long)value.Value * factor.Value / Score.InfinityValue)));
        }
    }

    /// <summary>
    /// The best allowed node: the highest score; on a tie the node with the fewest primitive instances
    /// placed so far (Pacemaker's default placement strategy), then the node the resource is on now,
    /// then by name (Pacemaker's node comparison).
    /// </summary>
    public string? Best(IReadOnlySet<string> current, IReadOnlyDictionary<string, int> load) =>
        _scores.Where(p => Allows(p.Value))
            .OrderByDescending(p => p.Value)
            .ThenBy(p => load.GetValueOrDefault(p.Key))
            .ThenBy(p => current.Contains(p.Key) ? 0 : 1)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key)
            .FirstOrDefault();

    public override string ToString() => string.Join(", ", _scores.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
