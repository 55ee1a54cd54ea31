using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// A transition as <c>clusterctl simulate --json</c> prints it and the decision journal records it,
/// exactly <c>{ "placement": [ { resource, node, role } ], "actions": [ { id, op, resource, node, after } ] }</c>,
/// with the actions in <see cref="TransitionGraph.Ordered"/> order. Warnings are not part of it.
/// </summary>
public sealed record TransitionView(IReadOnlyList<TransitionPlacementView> Placement, IReadOnlyList<TransitionActionView> Actions)
{
    public static TransitionView From(TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new TransitionView(
            [.. graph.Placement.Select(p => new TransitionPlacementView(p.Resource, p.Node, ResourceRoles.Name(p.Role)))],
            [.. graph.Ordered().Select(a => new TransitionActionView(a.Id, a.OpName, a.Resource, a.Node, graph.After(a.Id)))]);
    }

    /// <summary>One line per placed instance and per action, in order: what two views are compared by.</summary>
    public IEnumerable<string> Lines() =>
        Placement.Select(p => $"placement {p.Resource} on {p.Node}: {p.Role}")
            .Concat(Actions.Select(a => a.After.Count == 0 ? $"action {a.Id}" : $"action {a.Id} after {string.Join(", ", a.After)}"));
}
