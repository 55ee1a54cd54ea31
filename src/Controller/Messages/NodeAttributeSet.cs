using System.Collections.Immutable;

namespace ClusterD.Controller.Messages;

/// <summary>
/// One node's transient attributes (Pacemaker's attrd values): promotion scores <c>master-RSC</c>,
/// fail counts <c>fail-count-RSC</c> with <c>last-failure-RSC</c> (Unix seconds), and <c>shutdown</c>.
/// Only the node itself changes them, so there is never a conflict; <see cref="Serial"/> grows with
/// every change so a late copy never replaces a newer one.
/// </summary>
public sealed record NodeAttributeSet(ulong Serial, ImmutableSortedDictionary<string, string> Values)
{
    public const string FailCountPrefix = "fail-count-";
    public const string LastFailurePrefix = "last-failure-";
    public const string Shutdown = "shutdown";

    public static NodeAttributeSet Empty { get; } = new(0, ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    public string? Get(string name) => Values.GetValueOrDefault(name);

    public NodeAttributeSet Set(string name, string value) =>
        Values.TryGetValue(name, out var old) && old == value ? this : new NodeAttributeSet(Serial + 1, Values.SetItem(name, value));

    public NodeAttributeSet Remove(Func<string, bool> which)
    {
        var removed = Values.Keys.Where(which).ToArray();
        return removed.Length == 0 ? this : new NodeAttributeSet(Serial + 1, Values.RemoveRange(removed));
    }
}
