namespace ClusterD.Agents;

/// <summary>
/// One clone instance in a notification list: the instance id (<c>p_drbd:0</c>) and the node it
/// is on. <see cref="Node"/> is empty for inactive instances, which are on no node.
/// </summary>
public readonly record struct NotifyInstance(string Resource, string Node);
