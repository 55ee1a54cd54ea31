using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// What <c>clusterctl simulate --json</c> prints, exactly
/// <c>{ "placement": [ { resource, node, role } ], "actions": [ { id, op, resource, node, after } ] }</c>,
/// with the actions in a valid execution order. Warnings go to stderr, not into this shape.
/// </summary>
internal sealed record SimulateView(IReadOnlyList<SimulatePlacementView> Placement, IReadOnlyList<SimulateActionView> Actions)
{
    public static SimulateView From(TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new SimulateView(
            [.. graph.Placement.Select(p => new SimulatePlacementView(p.Resource, p.Node, ResourceRoles.Name(p.Role)))],
            [.. graph.Ordered().Select(a => new SimulateActionView(a.Id, a.OpName, a.Resource, a.Node, graph.After(a.Id)))]);
    }
}

/// <summary>One primitive instance after the transition; role is Started, Unpromoted or Promoted.</summary>
internal sealed record SimulatePlacementView(string Resource, string Node, string Role);

/// <summary>One action: op is start, stop, promote, demote, monitor or fence; after lists the ids it waits for.</summary>
internal sealed record SimulateActionView(string Id, string Op, string Resource, string Node, IReadOnlyList<string> After);

/// <summary>
/// What <c>clusterctl simulate --run --json</c> prints: <c>{ "transitions": [ { placement, actions } ], "settled" }</c>,
/// one entry per transition executed, in order; settled is false when the run hit its limit.
/// </summary>
internal sealed record SimulateRunView(IReadOnlyList<SimulateView> Transitions, bool Settled);
