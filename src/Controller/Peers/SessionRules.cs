using ClusterD.Membership.Configuration;
using ClusterD.Membership.Views;

namespace ClusterD.Controller.Peers;

/// <summary>
/// What a membership change means for the node-to-node sessions. A session cannot tell a dead peer from a
/// slow one (its own silence bound is seconds); membership can, after <c>token</c>. So when a view loses a
/// node, or a node leaves, its session is closed at once and the requests pending on it fail now, not at
/// their timeouts. A node that restarted between two views is both lost and joined: its old session goes,
/// and its new incarnation connects afresh. Pure: the shell performs the effects.
/// </summary>
public static class SessionRules
{
    public static IReadOnlyList<CloseSession> OnViewChange(ViewChange change, NodeList nodes)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(nodes);
        return
        [
            .. change.Lost.Select(id => new CloseSession(id, $"membership lost {nodes.NameOf(id)}")),
            .. change.Left.Select(id => new CloseSession(id, $"{nodes.NameOf(id)} left the cluster")),
        ];
    }
}
