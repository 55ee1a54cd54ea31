using System.Collections.Immutable;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// Collects actions and "waits for" edges; refuses edges that would close a cycle. Actions are
/// indexed by id and by resource, so finding the actions of one resource does not scan the graph.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<TransitionAction> _actions = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TransitionAction>> _byResource = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _after = new(StringComparer.Ordinal);
    private readonly HashSet<(string First, string Then)> _edges = [];
    private readonly HashSet<string> _awaited = new(StringComparer.Ordinal);

    public IReadOnlyList<TransitionAction> Actions => _actions;

    /// <summary>The actions of one resource (fences have none), in the order they were added.</summary>
    public IReadOnlyList<TransitionAction> ActionsOf(string resource) =>
        _byResource.TryGetValue(resource, out var actions) ? actions : [];

    public TransitionAction Add(TransitionAction action)
    {
        if (_index.TryGetValue(action.Id, out var existing))
        {
            return _actions[existing];
        }

        _index[action.Id] = _actions.Count;
        _actions.Add(action);
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
    public int IndexOf(TransitionAction action) => _index[action.Id];

    public TransitionAction? Find(string id) => _index.TryGetValue(id, out var i) ? _actions[i] : null;

    /// <summary>Makes <paramref name="then"/> wait for <paramref name="first"/>. Returns false when that would close a cycle.</summary>
    public bool Order(TransitionAction? first, TransitionAction? then)
    {
        if (first is null || then is null || first.Id == then.Id)
        {
            return true;
        }

        if (_edges.Contains((first.Id, then.Id)))
        {
            return true;
        }

        // Nothing waits for "then" yet: it cannot be upstream of "first", and the search is skipped
        // (graphs are mostly built forwards, so long chains do not cost a search per edge).
        if (_awaited.Contains(then.Id) && Reaches(first.Id, then.Id))
        {
            return false;
        }

        if (!_after.TryGetValue(then.Id, out var list))
        {
            list = [];
            _after[then.Id] = list;
        }

        list.Add(first.Id);
        _edges.Add((first.Id, then.Id));
        _awaited.Add(first.Id);
        return true;
    }

    /// <summary>True when <paramref name="from"/> already waits, directly or not, for <paramref name="target"/>.</summary>
    private bool Reaches(string from, string target)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            if (!_after.TryGetValue(stack.Pop(), out var before))
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

    public TransitionGraph Build(ImmutableArray<PlacedInstance> placement, IEnumerable<string> warnings)
    {
        var after = new Dictionary<string, ImmutableArray<string>>(_after.Count, StringComparer.Ordinal);
        foreach (var (then, firsts) in _after)
        {
            firsts.Sort((a, b) => _index[a].CompareTo(_index[b]));
            after[then] = [.. firsts];
        }

        return new TransitionGraph([.. _actions], after, placement, [.. warnings.Distinct(StringComparer.Ordinal)]);
    }
}
