using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// What must be asked before anything is started: a probe (a one-shot monitor) of every primitive on
/// every node that is up and has no history of it, so a copy already running there (started by hand,
/// left over from before a restart) is known and never started twice. Fence devices are the fencer's
/// and are not probed. The probes do not depend on each other: they all run at once.
/// </summary>
public static class Probes
{
    public static TransitionGraph Plan(ClusterConfig config, ClusterStatus status)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(status);
        var known = status.Operations.Select(o => (o.Resource, o.Node)).ToHashSet();
        var probes = from node in status.Nodes
                     where node.Online && !node.Unclean
                     from primitive in config.Primitives
                     where !primitive.Agent.IsStonith && !known.Contains((primitive.Id, node.Name))
                     select new TransitionAction(TransitionOp.Monitor, primitive.Id, node.Name);
        return new TransitionGraph([.. probes], ImmutableDictionary<string, ImmutableArray<string>>.Empty, [], []);
    }
}
