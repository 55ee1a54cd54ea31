using System.Collections.Immutable;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// The plan <see cref="Scheduler"/> returns: the actions to run, which ones each waits for, the
/// placement once they are done, and warnings an operator must see (split brain possible, ordering
/// ignored, resources blocked). Invariant: the edges form a directed acyclic graph over
/// <see cref="Actions"/>, so <see cref="Ordered"/> always lists every action.
/// </summary>
public sealed class TransitionGraph
{
    private readonly IReadOnlyDictionary<string, ImmutableArray<string>> _after;
    private readonly Dictionary<string, ImmutableArray<string>> _dependents;
    private readonly Dictionary<string, int> _position;
    private readonly ImmutableArray<TransitionAction> _ordered;

    internal TransitionGraph(
        ImmutableArray<TransitionAction> actions,
        IReadOnlyDictionary<string, ImmutableArray<string>> after,
        ImmutableArray<PlacedInstance> placement,
        ImmutableArray<string> warnings)
    {
        Actions = actions;
        _after = after;
        Placement = placement;
        Warnings = warnings;
        _position = new(actions.Length, StringComparer.Ordinal);
        _dependents = new(actions.Length, StringComparer.Ordinal);
        for (var i = 0; i < actions.Length; i++)
        {
            _position.TryAdd(actions[i].Id, i);
        }

        // Who waits for each action, in the order the waiting actions were created.
        var dependents = new Dictionary<string, ImmutableArray<string>.Builder>(actions.Length, StringComparer.Ordinal);
        foreach (var then in actions)
        {
            foreach (var first in After(then.Id))
            {
                if (!dependents.TryGetValue(first, out var list))
                {
                    list = ImmutableArray.CreateBuilder<string>(1);
                    dependents[first] = list;
                }

                list.Add(then.Id);
            }
        }

        foreach (var (first, thens) in dependents)
        {
            _dependents[first] = thens.Count == thens.Capacity ? thens.MoveToImmutable() : thens.ToImmutable();
        }

        _ordered = TopologicalOrder(actions, _position, _after, _dependents);
    }

    public static TransitionGraph Empty { get; } = new([], ImmutableDictionary<string, ImmutableArray<string>>.Empty, [], []);

    /// <summary>The actions in the order the scheduler created them.</summary>
    public ImmutableArray<TransitionAction> Actions { get; }

    /// <summary>Where every primitive instance runs after the transition, by resource then node (ordinal).</summary>
    public ImmutableArray<PlacedInstance> Placement { get; }

    /// <summary>Things an operator must know, e.g. that split brain is possible because fencing is disabled.</summary>
    public ImmutableArray<string> Warnings { get; }

    public bool IsEmpty => Actions.IsEmpty;

    /// <summary>The ids of the actions <paramref name="actionId"/> waits for, in the order they were created.</summary>
    public ImmutableArray<string> After(string actionId) => _after.TryGetValue(actionId, out var ids) ? ids : [];

    /// <summary>The ids of the actions that wait for <paramref name="actionId"/> directly, in the order they were created.</summary>
    public ImmutableArray<string> Dependents(string actionId) => _dependents.TryGetValue(actionId, out var ids) ? ids : [];

    public TransitionAction? Find(string actionId) => _position.TryGetValue(actionId, out var i) ? Actions[i] : null;

    /// <summary>
    /// A valid execution order: every action comes after everything it waits for. Deterministic:
    /// among the actions ready at a step, the one created first goes first.
    /// </summary>
    public ImmutableArray<TransitionAction> Ordered() => _ordered;

    /// <summary>True when <paramref name="later"/> waits for <paramref name="earlier"/>, directly or through other actions.</summary>
    public bool Precedes(string earlier, string later)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(later);
        while (stack.Count > 0)
        {
            foreach (var before in After(stack.Pop()))
            {
                if (before == earlier)
                {
                    return true;
                }

                if (seen.Add(before))
                {
                    stack.Push(before);
                }
            }
        }

        return false;
    }

    private static ImmutableArray<TransitionAction> TopologicalOrder(
        ImmutableArray<TransitionAction> actions,
        Dictionary<string, int> index,
        IReadOnlyDictionary<string, ImmutableArray<string>> after,
        Dictionary<string, ImmutableArray<string>> dependentsById)
    {
        var waiting = new int[actions.Length];
        var dependents = new int[actions.Length][];
        for (var i = 0; i < actions.Length; i++)
        {
            var id = actions[i].Id;
            waiting[i] = after.TryGetValue(id, out var firsts) ? firsts.Length : 0;
            if (dependentsById.TryGetValue(id, out var thens))
            {
                dependents[i] = new int[thens.Length];
                for (var d = 0; d < thens.Length; d++)
                {
                    dependents[i][d] = index[thens[d]];
                }
            }
            else
            {
                dependents[i] = [];
            }
        }

        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < actions.Length; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = ImmutableArray.CreateBuilder<TransitionAction>(actions.Length);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(actions[next]);
            foreach (var d in dependents[next])
            {
                if (--waiting[d] == 0)
                {
                    ready.Enqueue(d, d);
                }
            }
        }

        if (order.Count != actions.Length)
        {
            throw new InvalidOperationException("the transition's ordering edges form a cycle");
        }

        return order.MoveToImmutable();
    }
}
