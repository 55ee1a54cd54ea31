using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Execution;

/// <summary>
/// The recurring monitors an active instance should have and its node's history does not show: after a
/// probe found it already running, after a transition stopped between a start and its monitor, after a
/// cleanup. Pacemaker's scheduler adds these to every graph; ClusterD's scheduler adds monitors with the
/// start, promote or demote they follow, and the controller asks for the missing ones once the cluster is
/// otherwise settled. Monitors of the role the instance is in (a monitor without a role watches Started,
/// which for a promotable clone is Unpromoted); none in maintenance mode or for unmanaged resources.
/// </summary>
public static class MissingMonitors
{
    public static TransitionGraph Plan(ClusterConfig config, ClusterStatus status)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(status);
        if (config.Properties.IsMaintenanceMode)
        {
            return TransitionGraph.Empty;
        }

        var index = new ConfigIndex(config);
        var actions = ImmutableArray.CreateBuilder<TransitionAction>();
        foreach (var resource in status.Resources)
        {
            if (index.FindResource(resource.Id) is not Primitive primitive || primitive.Agent.IsStonith
                || index.EffectiveMeta(primitive.Id).GetBool("is-managed") == false
                || index.EffectiveMeta(primitive.Id).GetBool("maintenance") == true)
            {
                continue;
            }

            foreach (var instance in resource.Instances)
            {
                var role = instance.Role switch
                {
                    InstanceRole.Promoted => ResourceRole.Promoted,
                    InstanceRole.Unpromoted => ResourceRole.Unpromoted,
                    InstanceRole.Started => ResourceRole.Started,
                    _ => (ResourceRole?)null,
                };
                if (role is null || status.FindNode(instance.Node) is not { Online: true, Unclean: false })
                {
                    continue;
                }

                foreach (var op in primitive.RecurringOperations.Where(o => o.Name == "monitor" && o.Attributes.GetBool("enabled") != false))
                {
                    var watches = role == ResourceRole.Promoted
                        ? op.Role == ResourceRole.Promoted
                        : op.Role is null or ResourceRole.Started or ResourceRole.Unpromoted;
                    if (watches && status.LastOperation(primitive.Id, instance.Node, "monitor", op.Interval) is null)
                    {
                        actions.Add(new TransitionAction(TransitionOp.Monitor, primitive.Id, instance.Node, op.Interval, role));
                    }
                }
            }
        }

        return new TransitionGraph(actions.ToImmutable(), ImmutableDictionary<string, ImmutableArray<string>>.Empty, [], []);
    }
}
