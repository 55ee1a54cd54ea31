using System.Collections.Immutable;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>Collects actions and "waits for" edges; refuses edges that would close a cycle.</summary>
internal sealed class GraphBuilder
{
    private readonly List<TransitionAction> _actions = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _after = new(StringComparer.Ordinal);

    public IReadOnlyList<TransitionAction> Actions => _actions;

    public TransitionAction Add(TransitionAction action)
    {
        if (_index.TryGetValue(action.Id, out var existing))
        {
            return _actions[existing];
        }

        _index[action.Id] = _actions.Count;
        _actions.Add(action);
        return action;
    }

    public TransitionAction? Find(string id) => _index.TryGetValue(id, out var i) ? _actions[i] : null;

    /// <summary>Makes <paramref name="then"/> wait for <paramref name="first"/>. Returns false when that would close a cycle.</summary>
    public bool Order(TransitionAction? first, TransitionAction? then)
    {
        if (first is null || then is null || first.Id == then.Id)
        {
            return true;
        }

        if (_after.TryGetValue(then.Id, out var existing) && existing.Contains(first.Id))
        {
            return true;
        }

        if (Reaches(first.Id, then.Id))
        {
            return false;
        }

        if (!_after.TryGetValue(then.Id, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _after[then.Id] = set;
        }

        set.Add(first.Id);
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
        var after = _after.ToImmutableDictionary(
            p => p.Key,
            p => p.Value.OrderBy(id => _index[id]).ToImmutableArray(),
            StringComparer.Ordinal);
        return new TransitionGraph([.. _actions], after, placement, [.. warnings.Distinct(StringComparer.Ordinal)]);
    }
}
