using ClusterD.Membership;

namespace ClusterD.Controller.Peers;

/// <summary>An effect: close the messaging session with <see cref="Node"/>, failing what is pending on it, for <see cref="Reason"/>.</summary>
public sealed record CloseSession(NodeId Node, string Reason);
