using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Name/value attributes (<c>params</c>, <c>meta</c>, node attributes, properties): immutable, in the
/// order they were written (so <c>show</c> prints them as the user wrote them), compared as a set
/// (order does not change meaning). Names are unique and case-sensitive, as in the CIB.
/// <c>default</c> is the empty map.
/// </summary>
[JsonConverter(typeof(AttributeMapJsonConverter))]
[SuppressMessage("Naming", "CA1710", Justification = "Named for what it holds in Pacemaker terms (attribute sets), not for its interface.")]
public readonly struct AttributeMap : IReadOnlyDictionary<string, string>, IEquatable<AttributeMap>
{
    private readonly ImmutableArray<KeyValuePair<string, string>> _items;

    private AttributeMap(ImmutableArray<KeyValuePair<string, string>> items) => _items = items;

    public static AttributeMap Empty => default;

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public bool IsEmpty => Count == 0;

    /// <summary>The pairs in the order they were written.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Items => _items.IsDefault ? [] : _items;

    public IEnumerable<string> Keys => Items.Select(p => p.Key);

    public IEnumerable<string> Values => Items.Select(p => p.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <summary>Builds a map; a repeated name is a programming error here (parsers report it to the user first).</summary>
    public static AttributeMap Create(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var items = pairs.ToImmutableArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            if (!seen.Add(key))
            {
                throw new ArgumentException($"attribute '{key}' appears twice", nameof(pairs));
            }
        }

        return new AttributeMap(items);
    }

    public static AttributeMap Of(params (string Name, string Value)[] pairs) =>
        Create(pairs.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var pair in Items)
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                value = pair.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public string? Get(string key) => TryGetValue(key, out var value) ? value : null;

    /// <summary>Sets a value, in place if the name exists, else appended.</summary>
    public AttributeMap SetItem(string key, string value)
    {
        var items = Items;
        for (var i = 0; i < items.Length; i++)
        {
            if (string.Equals(items[i].Key, key, StringComparison.Ordinal))
            {
                return new AttributeMap(items.SetItem(i, KeyValuePair.Create(key, value)));
            }
        }

        return new AttributeMap(items.Add(KeyValuePair.Create(key, value)));
    }

    public AttributeMap Remove(string key) =>
        ContainsKey(key) ? new AttributeMap(Items.RemoveAll(p => string.Equals(p.Key, key, StringComparison.Ordinal))) : this;

    /// <summary>This map with <paramref name="overrides"/> laid over it (later wins), as defaults are merged.</summary>
    public AttributeMap Merge(AttributeMap overrides)
    {
        var result = this;
        foreach (var (key, value) in overrides.Items)
        {
            result = result.SetItem(key, value);
        }

        return result;
    }

    public ImmutableArray<KeyValuePair<string, string>>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, string>>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

    public bool Equals(AttributeMap other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        foreach (var (key, value) in Items)
        {
            if (!other.TryGetValue(key, out var otherValue) || !string.Equals(value, otherValue, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is AttributeMap other && Equals(other);

    // Order-insensitive, to agree with Equals.
    public override int GetHashCode() =>
        Items.Aggregate(Count, (h, p) => h ^ HashCode.Combine(StringComparer.Ordinal.GetHashCode(p.Key), StringComparer.Ordinal.GetHashCode(p.Value)));

    public static bool operator ==(AttributeMap left, AttributeMap right) => left.Equals(right);

    public static bool operator !=(AttributeMap left, AttributeMap right) => !left.Equals(right);

    public override string ToString() => "{" + string.Join(", ", Items.Select(p => $"{p.Key}={p.Value}")) + "}";
}
