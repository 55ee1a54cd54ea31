using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// Changes to a status for <c>clusterctl simulate</c> (like <c>crm_simulate</c>'s injections):
/// nodes that come up, leave cleanly, are lost (unclean: they must be fenced) or go standby, and
/// failed operations. Applied in that order by <see cref="Apply"/>; pure.
/// </summary>
public sealed record WhatIf
{
    public ImmutableArray<string> NodeUp { get; init; } = [];

    /// <summary>Left cleanly: its resources were stopped first, so it holds none.</summary>
    public ImmutableArray<string> NodeDown { get; init; } = [];

    /// <summary>Lost: unclean, with whatever it ran in an unknown state until it is fenced.</summary>
    public ImmutableArray<string> NodeFail { get; init; } = [];

    public ImmutableArray<string> Standby { get; init; } = [];

    public ImmutableArray<InjectedFailure> Failures { get; init; } = [];

    public bool IsEmpty => NodeUp.IsEmpty && NodeDown.IsEmpty && NodeFail.IsEmpty && Standby.IsEmpty && Failures.IsEmpty;

    /// <summary>
    /// The status with these changes. An injected failure records the operation with its return
    /// code (a monitor gets the interval of the resource's recurring monitor for its role there),
    /// marks an inactive instance Failed, and adds one to the fail count, dated <paramref name="now"/>.
    /// </summary>
    public ClusterStatus Apply(ClusterStatus status, ClusterConfig config, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(config);
        var nodes = status.Nodes.ToList();
        var resources = status.Resources.ToList();
        foreach (var name in NodeUp)
        {
            Update(nodes, name, n => n with { Online = true, Unclean = false, Pending = false });
        }

        foreach (var name in NodeDown)
        {
            Update(nodes, name, n => n with { Online = false, Unclean = false, Pending = false });
            resources = [.. resources.Select(r => r with { Instances = [.. r.Instances.Where(i => i.Node != name)] })];
        }

        foreach (var name in NodeFail)
        {
            Update(nodes, name, n => n with { Online = false, Unclean = true, Pending = false });
        }

        foreach (var name in Standby)
        {
            Update(nodes, name, n => n with { Standby = true });
        }

        var operations = status.Operations.ToList();
        var failcounts = status.Failcounts.ToList();
        foreach (var failure in Failures)
        {
            if (!nodes.Any(n => n.Name == failure.Node))
            {
                throw new ArgumentException($"--fail {failure}: '{failure.Node}' is not a known node");
            }

            if (new ConfigIndex(config).FindResource(failure.Resource) is not Primitive primitive)
            {
                throw new ArgumentException($"--fail {failure}: '{failure.Resource}' is not a primitive of the configuration");
            }

            var resource = resources.FirstOrDefault(r => r.Id == failure.Resource) ?? new ResourceStatus(failure.Resource, primitive.Agent.ToString());
            var role = resource.RoleOn(failure.Node);
            var interval = failure.Operation == "monitor" ? MonitorInterval(primitive, role) : Duration.Zero;
            var callId = operations.Select(o => o.CallId).DefaultIfEmpty(0).Max() + 1;
            operations.Add(new OperationRecord(failure.Resource, failure.Node, failure.Operation, interval, failure.RcCode, callId, 0, now));
            if (role == InstanceRole.Stopped)
            {
                resource = resource with { Instances = [.. resource.Instances.Where(i => i.Node != failure.Node), new ResourceInstance(failure.Node, InstanceRole.Failed)] };
            }

            resources = [.. resources.Where(r => r.Id != resource.Id), resource];
            var count = failcounts.FirstOrDefault(f => f.Resource == failure.Resource && f.Node == failure.Node);
            failcounts.Remove(count!);
            failcounts.Add(new Failcount(failure.Resource, failure.Node, (count?.Count ?? Score.Zero) + new Score(1), now));
        }

        return status with
        {
            Nodes = [.. nodes],
            Resources = [.. resources],
            Operations = [.. operations],
            Failcounts = [.. failcounts],
        };
    }

    private static void Update(List<NodeStatus> nodes, string name, Func<NodeStatus, NodeStatus> change)
    {
        var i = nodes.FindIndex(n => n.Name == name);
        if (i < 0)
        {
            nodes.Add(change(new NodeStatus(name)));
        }
        else
        {
            nodes[i] = change(nodes[i]);
        }
    }

    private static Duration MonitorInterval(Primitive primitive, InstanceRole role)
    {
        var monitors = primitive.RecurringOperations.Where(o => o.Name == "monitor").ToList();
        var forRole = role == InstanceRole.Promoted
            ? monitors.FirstOrDefault(o => o.Role == ResourceRole.Promoted)
            : monitors.FirstOrDefault(o => o.Role != ResourceRole.Promoted);
        return (forRole ?? monitors.FirstOrDefault())?.Interval ?? Duration.Zero;
    }
}
