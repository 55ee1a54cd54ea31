using System.Collections.Immutable;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// Collects actions and "waits for" edges; refuses edges that would close a cycle. Actions are
/// indexed by id and by resource, so finding the actions of one resource does not scan the graph,
/// and edges are kept between action positions, not ids.
/// </summary>
internal sealed class GraphBuilder
{
    private static readonly List<TransitionAction> NoActions = []; // never added to

    private readonly List<TransitionAction> _actions;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, List<TransitionAction>> _byResource;
    private readonly List<List<int>?> _after; // by position: the positions of the actions it waits for
    private readonly List<bool> _awaited; // by position: something waits for it
    private readonly HashSet<long> _edges;

    /// <param name="capacity">About how many actions to expect (room is made for them at once).</param>
    public GraphBuilder(int capacity = 0)
    {
        _actions = new(capacity);
        _index = new(capacity, StringComparer.Ordinal);
        _byResource = new(capacity / 2, StringComparer.Ordinal);
        _after = new(capacity);
        _awaited = new(capacity);
        _edges = new(capacity);
    }

    public IReadOnlyList<TransitionAction> Actions => _actions;

    /// <summary>The actions of one resource (fences have none), in the order they were added.</summary>
    public List<TransitionAction> ActionsOf(string resource) =>
        _byResource.TryGetValue(resource, out var actions) ? actions : NoActions;

    public TransitionAction Add(TransitionAction action)
    {
        if (!_index.TryAdd(action.Id, _actions.Count))
        {
            return _actions[_index[action.Id]];
        }

        _actions.Add(action);
        _after.Add(null);
        _awaited.Add(false);
        if (action.Op != TransitionOp.Fence)
        {
            if (!_byResource.TryGetValue(action.Resource, out var actions))
            {
                actions = [];
                _byResource[action.Resource] = actions;
            }

            actions.Add(action);
        }

        return action;
    }

    /// <summary>The position of an action of this graph in the order actions were added.</summary>
    public int IndexOf(TransitionAction action) =>
        _index.TryGetValue(action.Id, out var i) ? i : throw new InvalidOperationException($"{action.Id} is not an action of this transition");

    public TransitionAction? Find(string id) => _index.TryGetValue(id, out var i) ? _actions[i] : null;

    /// <summary>The actions <paramref name="then"/> waits for directly.</summary>
    public IEnumerable<TransitionAction> FirstsOf(TransitionAction then) =>
        _after[IndexOf(then)] is { } firsts ? firsts.Select(f => _actions[f]) : [];

    /// <summary>Makes <paramref name="then"/> wait for <paramref name="first"/>. Returns false when that would close a cycle.</summary>
    public bool Order(TransitionAction? first, TransitionAction? then)
    {
        if (first is null || then is null)
        {
            return true;
        }

        var (f, t) = (IndexOf(first), IndexOf(then));
        if (f == t || !_edges.Add(Edge(f, t)))
        {
            return true;
        }

        // Nothing waits for "then" yet: it cannot be upstream of "first", and the search is skipped
        // (graphs are mostly built forwards, so long chains do not cost a search per edge).
        if (_awaited[t] && Reaches(f, t))
        {
            _edges.Remove(Edge(f, t));
            return false;
        }

        (_after[t] ??= []).Add(f);
        _awaited[f] = true;
        return true;
    }

    public TransitionGraph Build(ImmutableArray<PlacedInstance> placement, IEnumerable<string> warnings)
    {
        var after = new int[]?[_actions.Count];
        for (var t = 0; t < _actions.Count; t++)
        {
            if (_after[t] is { } firsts)
            {
                firsts.Sort();
                after[t] = [.. firsts];
            }
        }

        // The id index is handed over, not copied: at thousands of actions it is a large-object allocation.
        return new TransitionGraph([.. _actions], _index, after, placement, [.. warnings.Distinct(StringComparer.Ordinal)]);
    }

    private static long Edge(int first, int then) => ((long)first << 32) | (uint)then;

    /// <summary>True when <paramref name="from"/> already waits, directly or not, for <paramref name="target"/>.</summary>
    private bool Reaches(int from, int target)
    {
        if (_after[from] is null)
        {
            return false; // "first" waits for nothing: the usual case, answered without a search
        }

        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            if (_after[stack.Pop()] is not { } before)
            {
                continue;
            }

            foreach (var b in before)
            {
                if (b == target)
                {
                    return true;
                }

                if (seen.Add(b))
                {
                    stack.Push(b);
                }
            }
        }

        return false;
    }
}
