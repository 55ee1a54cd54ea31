namespace ClusterD.Messaging;

/// <summary>Names of drop and reject counters as status shows them: an enum member in snake_case (BadMac -> bad_mac).</summary>
public static class CounterNames
{
    public static string Of<T>(T reason)
        where T : struct, Enum =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
