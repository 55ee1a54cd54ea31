using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// A score per node (every node of the run, -INFINITY where a resource cannot go), with Pacemaker's
/// saturating arithmetic. A resource may run on a node only where its score is zero or more. One
/// array over the run's <see cref="NodeNames"/>: placement makes several of these per resource, so
/// they must cost little to make, copy and combine.
/// </summary>
internal sealed class NodeScores
{
    private readonly NodeNames _nodes;
    private readonly Score[] _scores;

    public NodeScores(NodeNames nodes, Score initial)
    {
        _nodes = nodes;
        _scores = new Score[nodes.Count];
        Array.Fill(_scores, initial);
    }

    private NodeScores(NodeNames nodes, Score[] scores)
    {
        _nodes = nodes;
        _scores = scores;
    }

    public IReadOnlyList<string> Nodes => _nodes.Names;

    /// <summary>The score on a node; -INFINITY on a name that is not a node of the run. Setting one throws.</summary>
    public Score this[string node]
    {
        get => _nodes.PositionOf(node) is var i and >= 0 ? _scores[i] : Score.MinusInfinity;
        set => _scores[Position(node)] = value;
    }

    public static bool Allows(Score score) => score >= Score.Zero;

    public bool AnyAllowed => Array.Exists(_scores, Allows);

    public NodeScores Copy() => new(_nodes, [.. _scores]);

    public void Add(string node, Score score)
    {
        var i = Position(node);
        _scores[i] += score;
    }

    public void AddAll(NodeScores other)
    {
        for (var i = 0; i < _scores.Length; i++)
        {
            _scores[i] += other._scores[i];
        }
    }

    /// <summary>
    /// Adds a colocated resource's preferences unless that leaves no node allowed, in which case its
    /// preferences are dropped: Pacemaker's rule when merging the scores of colocated dependents.
    /// </summary>
    /// <returns>Whether the preferences were added.</returns>
    public bool Merge(NodeScores other)
    {
        Span<Score> candidate = _scores.Length <= 64 ? stackalloc Score[_scores.Length] : new Score[_scores.Length];
        var anyAllowed = false;
        for (var i = 0; i < _scores.Length; i++)
        {
            candidate[i] = _scores[i] + other._scores[i];
            anyAllowed |= Allows(candidate[i]);
        }

        if (anyAllowed)
        {
            candidate.CopyTo(_scores);
        }

        return anyAllowed;
    }

    /// <summary>
    /// Adds <paramref name="other"/> scaled by <paramref name="factor"/>/INFINITY, ignoring its bans, as
    /// Pacemaker merges a follower's scores: rounded to the nearest, never to zero from a nonzero score
    /// (then one, with the factor's sign), and a negative factor never turns a negative score into a
    /// preference.
    /// </summary>
    public void AddScaled(NodeScores other, Score factor)
    {
        for (var i = 0; i < _scores.Length; i++)
        {
            var value = other._scores[i];
            if (value.IsMinusInfinity || (factor < Score.Zero && value < Score.Zero))
            {
                continue;
            }

            var scaled = (double)value.Value * factor.Value / Score.InfinityValue;
            var rounded = (int)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
            if (rounded == 0 && value.Value != 0)
            {
                rounded = factor > Score.Zero ? 1 : -1;
            }

            _scores[i] += new Score(rounded);
        }
    }

    /// <summary>
    /// The best allowed node: the highest score; on a tie the node with the fewest primitive instances
    /// placed so far (Pacemaker's default placement strategy), then the node the resource is on now,
    /// then by name (Pacemaker's node comparison). When the best score is above zero, the node the
    /// resource is on now wins any tie (Pacemaker's preference for the running node).
    /// </summary>
    public string? Best(IReadOnlySet<string> current, IReadOnlyDictionary<string, int> load)
    {
        var best = -1;
        for (var i = 0; i < _scores.Length; i++)
        {
            if (Allows(_scores[i]) && (best < 0 || Better(i, best)))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return null;
        }

        // With a best score above zero, a node the resource is on now that scores as well wins over
        // the less loaded ones (Pacemaker prefers the running node among equals only then).
        if (_scores[best] > Score.Zero)
        {
            for (var i = 0; i < _scores.Length; i++)
            {
                if (_scores[i] == _scores[best] && current.Contains(_nodes.Names[i]))
                {
                    return _nodes.Names[i];
                }
            }
        }

        return _nodes.Names[best];

        bool Better(int a, int b)
        {
            if (_scores[a] != _scores[b])
            {
                return _scores[a] > _scores[b];
            }

            var (nameA, nameB) = (_nodes.Names[a], _nodes.Names[b]);
            var (loadA, loadB) = (load.GetValueOrDefault(nameA), load.GetValueOrDefault(nameB));
            if (loadA != loadB)
            {
                return loadA < loadB;
            }

            var (currentA, currentB) = (current.Contains(nameA), current.Contains(nameB));
            return currentA != currentB ? currentA : string.CompareOrdinal(nameA, nameB) < 0;
        }
    }

    public override string ToString() =>
        string.Join(", ", _nodes.Names.Select((n, i) => (n, i)).OrderBy(p => p.n, StringComparer.Ordinal).Select(p => $"{p.n}={_scores[p.i]}"));

    private int Position(string node) =>
        _nodes.PositionOf(node) is var i and >= 0 ? i : throw new KeyNotFoundException($"'{node}' is not a node of this scheduling run");
}
