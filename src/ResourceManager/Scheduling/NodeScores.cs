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
    /// Adds <paramref name="other"/> scaled by <paramref name="factor"/>/INFINITY, as Pacemaker merges a
    /// follower's scores: rounded to the nearest, never to zero from a nonzero score (then one, with the
    /// factor's sign); a ban counts as -INFINITY (-100 at a factor of 100), and a negative factor never
    /// turns a negative score into a preference. With <paramref name="attributeValues"/> (each node's
    /// value of a colocation's <c>node-attribute</c>, by position), a node takes the best score
    /// <paramref name="other"/> has on any node with the same value.
    /// </summary>
    /// <param name="unusable">Only for a clone's scores, which followers never make negative: a node
    /// that would turn negative keeps its score if it was zero, or is marked here if it was above
    /// zero (no longer allowed for this merge and skipped by the merges below it, then
    /// <see cref="ReleaseUnusable"/> gives it one point).</param>
    public void AddScaled(NodeScores other, Score factor, string?[]? attributeValues = null, bool[]? unusable = null)
    {
        for (var i = 0; i < _scores.Length; i++)
        {
            var value = attributeValues is null ? other._scores[i] : other.BestWithValue(attributeValues, attributeValues[i]);
            if ((factor < Score.Zero && value < Score.Zero) || (unusable is not null && unusable[i]))
            {
                continue;
            }

            var scaled = (double)value.Value * factor.Value / Score.InfinityValue;
            var rounded = (int)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
            if (rounded == 0 && value.Value != 0)
            {
                rounded = factor > Score.Zero ? 1 : -1;
            }

            var sum = _scores[i] + new Score(rounded);
            if (unusable is not null && sum < Score.Zero && _scores[i] >= Score.Zero)
            {
                unusable[i] = _scores[i] > Score.Zero;
                continue;
            }

            _scores[i] = sum;
        }
    }

    /// <summary>Whether a node is allowed, leaving out those marked <paramref name="unusable"/> (<see cref="AddScaled"/>).</summary>
    public bool AnyAllowedBut(bool[]? unusable)
    {
        for (var i = 0; i < _scores.Length; i++)
        {
            if (Allows(_scores[i]) && (unusable is null || !unusable[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gives each node marked <paramref name="unusable"/> one point and clears the marks.</summary>
    public void ReleaseUnusable(bool[] unusable)
    {
        for (var i = 0; i < _scores.Length; i++)
        {
            if (unusable[i])
            {
                _scores[i] = new Score(1);
                unusable[i] = false;
            }
        }
    }

    private Score BestWithValue(string?[] attributeValues, string? value)
    {
        var best = Score.MinusInfinity;
        for (var i = 0; i < _scores.Length; i++)
        {
            if (_scores[i] > best && string.Equals(attributeValues[i], value, StringComparison.Ordinal))
            {
                best = _scores[i];
            }
        }

        return best;
    }

    /// <summary>Takes over <paramref name="other"/>'s scores (the same nodes).</summary>
    public void CopyFrom(NodeScores other) => other._scores.CopyTo(_scores, 0);

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
