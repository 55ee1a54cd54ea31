namespace ClusterD.CibKit;

/// <summary>The membership attributes of a <c>node_state</c> (null: left out).</summary>
public sealed record Membership(string? InCcm, string? Crmd, string? Join, string? Expected);
