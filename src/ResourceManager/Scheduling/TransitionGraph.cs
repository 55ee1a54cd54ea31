using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// The plan <see cref="Scheduler"/> returns: the actions to run, which ones each waits for, the
/// placement once they are done, and warnings an operator must see (split brain possible, ordering
/// ignored, resources blocked). Invariant: the edges form a directed acyclic graph over
/// <see cref="Actions"/>, so <see cref="Ordered"/> always lists every action.
/// </summary>
public sealed class TransitionGraph
{
    private static readonly int[] None = [];
    private readonly Dictionary<string, int> _position;
    private readonly ImmutableArray<string>[] _after; // by position: the ids it waits for, in creation order
    private readonly ImmutableArray<string>[] _dependents; // by position: the ids waiting for it, in creation order
    private readonly ImmutableArray<TransitionAction> _ordered;

    internal TransitionGraph(
        ImmutableArray<TransitionAction> actions,
        IReadOnlyDictionary<string, ImmutableArray<string>> after,
        ImmutableArray<PlacedInstance> placement,
        ImmutableArray<string> warnings)
        : this(actions, Positions(actions), null, after, placement, warnings)
    {
    }

    /// <summary>
    /// From <see cref="GraphBuilder"/>: <paramref name="position"/> maps every id to its index (kept, not
    /// copied) and <paramref name="afterPositions"/> holds, by index, the sorted indexes each action waits for.
    /// </summary>
    internal TransitionGraph(
        ImmutableArray<TransitionAction> actions,
        Dictionary<string, int> position,
        int[]?[] afterPositions,
        ImmutableArray<PlacedInstance> placement,
        ImmutableArray<string> warnings)
        : this(actions, position, afterPositions, null, placement, warnings)
    {
    }

    private TransitionGraph(
        ImmutableArray<TransitionAction> actions,
        Dictionary<string, int> position,
        int[]?[]? afterPositions,
        IReadOnlyDictionary<string, ImmutableArray<string>>? afterIds,
        ImmutableArray<PlacedInstance> placement,
        ImmutableArray<string> warnings)
    {
        Actions = actions;
        Placement = placement;
        Warnings = warnings;
        _position = position;
        var n = actions.Length;
        var firsts = afterPositions ?? new int[]?[n];
        _after = new ImmutableArray<string>[n];
        for (var i = 0; i < n; i++)
        {
            if (afterIds is not null && afterIds.TryGetValue(actions[i].Id, out var ids))
            {
                firsts[i] = [.. ids.Select(id => position[id])];
                _after[i] = ids;
            }
            else if (firsts[i] is { Length: > 0 } before)
            {
                var text = new string[before.Length];
                for (var b = 0; b < before.Length; b++)
                {
                    text[b] = actions[before[b]].Id;
                }

                _after[i] = ImmutableCollectionsMarshal.AsImmutableArray(text);
            }
            else
            {
                _after[i] = [];
            }
        }

        // Who waits for each action, in the order the waiting actions were created.
        var counts = new int[n];
        foreach (var before in firsts)
        {
            foreach (var f in before ?? None)
            {
                counts[f]++;
            }
        }

        var dependents = new int[n][];
        for (var i = 0; i < n; i++)
        {
            dependents[i] = counts[i] == 0 ? None : new int[counts[i]];
            counts[i] = 0;
        }

        for (var t = 0; t < n; t++)
        {
            foreach (var f in firsts[t] ?? None)
            {
                dependents[f][counts[f]++] = t;
            }
        }

        _dependents = new ImmutableArray<string>[n];
        for (var i = 0; i < n; i++)
        {
            var text = dependents[i].Length == 0 ? [] : new string[dependents[i].Length];
            for (var d = 0; d < text.Length; d++)
            {
                text[d] = actions[dependents[i][d]].Id;
            }

            _dependents[i] = ImmutableCollectionsMarshal.AsImmutableArray(text);
        }

        _ordered = TopologicalOrder(actions, firsts, dependents);
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
    public ImmutableArray<string> After(string actionId) => _position.TryGetValue(actionId, out var i) ? _after[i] : [];

    /// <summary>The ids of the actions that wait for <paramref name="actionId"/> directly, in the order they were created.</summary>
    public ImmutableArray<string> Dependents(string actionId) => _position.TryGetValue(actionId, out var i) ? _dependents[i] : [];

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

    private static Dictionary<string, int> Positions(ImmutableArray<TransitionAction> actions)
    {
        var position = new Dictionary<string, int>(actions.Length, StringComparer.Ordinal);
        for (var i = 0; i < actions.Length; i++)
        {
            position.TryAdd(actions[i].Id, i);
        }

        return position;
    }

    private static ImmutableArray<TransitionAction> TopologicalOrder(ImmutableArray<TransitionAction> actions, int[]?[] firsts, int[][] dependents)
    {
        var waiting = new int[actions.Length];
        for (var i = 0; i < actions.Length; i++)
        {
            waiting[i] = firsts[i]?.Length ?? 0;
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
