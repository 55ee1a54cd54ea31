using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Runtime;

/// <summary>Which node this daemon is, and the incarnation (boot id) of this run, shared by membership and messaging.</summary>
public sealed record LocalIdentity(NodeConfig Node, ulong Incarnation);
