namespace ClusterD.Fencing;

/// <summary>A request to fence a node.</summary>
/// <param name="Node">The node name, as in the configuration and membership.</param>
/// <param name="Reason">Why, for the history and the log (<c>peer lost</c>, <c>stop of fs_mysql failed</c>, <c>clusterctl fence</c>).</param>
/// <param name="Requester">Who asked: the node (DC) or client that requested it.</param>
public sealed record FenceTarget(string Node, string Reason, string Requester);
