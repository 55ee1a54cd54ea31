using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>Operator commands, checked against the live cluster: a refused command changes nothing.</summary>
public sealed partial class ControllerCore
{
    /// <summary>The location a switchover adds; removed by the DC once the promoted instance is there.</summary>
    public const string SwitchoverPrefix = "cli-switchover-";

    /// <summary>The location <c>resource move</c> adds (the id <c>crm resource move</c> uses).</summary>
    public const string PreferPrefix = "cli-prefer-";

    private const string BanPrefix = "cli-ban-";

    private void OnAdmin(AdminInput admin)
    {
        var outcome = Validate(admin.Command) ?? Execute(admin.Command);
        _effects.Add(new AdminReply(admin.RequestId, outcome));
    }

    private AdminOutcome? Validate(AdminCommand command)
    {
        if (View is not { Quorate: true, Trusted: true } view)
        {
            return new AdminOutcome(AdminOutcomeCode.Unavailable,
                View is null ? "no membership view yet" : !View.Trusted ? "this node's view is not trusted yet" : $"the partition of {LocalNode} has no quorum: nothing is changed without quorum");
        }

        var index = new ConfigIndex(Config);
        string? node = command switch
        {
            SetStandby s => s.Node,
            CleanupResource c => c.Node,
            MoveResource m => m.Node,
            FenceNode f => f.Node,
            _ => null,
        };
        if (node is not null && !Nodes.Contains(node))
        {
            return new AdminOutcome(AdminOutcomeCode.NotFound, $"no node '{node}' in the cluster (nodes: {string.Join(", ", Nodes)})");
        }

        string? resource = command switch
        {
            CleanupResource c => c.Resource,
            MoveResource m => m.Resource,
            ClearResource c => c.Resource,
            SwitchoverResource s => s.Resource,
            _ => null,
        };
        if (resource is not null && index.FindResource(resource) is null)
        {
            return new AdminOutcome(AdminOutcomeCode.NotFound, $"no resource '{resource}' in the configuration");
        }

        if (command is MoveResource move)
        {
            if (!view.Members.Contains(move.Node) || _unclean.Contains(move.Node))
            {
                return new AdminOutcome(AdminOutcomeCode.FailedPrecondition, $"{move.Node} is offline: {move.Resource} cannot move there");
            }

            if (index.FindNode(move.Node)?.Standby == true)
            {
                return new AdminOutcome(AdminOutcomeCode.FailedPrecondition, $"{move.Node} is in standby: {move.Resource} cannot move there");
            }

            var top = Top(index, move.Resource);
            if (Config.Locations.FirstOrDefault(l => l.Node == move.Node && l.Score.IsMinusInfinity && (l.Resource == top || l.Resource == move.Resource)) is { } ban)
            {
                return new AdminOutcome(AdminOutcomeCode.FailedPrecondition, $"{move.Resource} is banned from {move.Node} by location {ban.Id}");
            }
        }

        if (command is FenceNode fence && fence.Node == LocalNode)
        {
            return new AdminOutcome(AdminOutcomeCode.FailedPrecondition, $"{LocalNode} does not fence itself: run 'clusterctl fence {LocalNode}' on another node");
        }

        if (command is SwitchoverResource switchover && !index.IsPromotable(switchover.Resource) && index.FindResource(switchover.Resource) is not CloneResource { Promotable: true })
        {
            return new AdminOutcome(AdminOutcomeCode.InvalidArgument, $"{switchover.Resource} is not a promotable clone (nor a primitive of one): there is no promoted role to switch over");
        }

        return null;
    }

    private AdminOutcome Execute(AdminCommand command)
    {
        var index = new ConfigIndex(Config);
        switch (command)
        {
            case SetStandby standby:
                return Changed(WithNodeAttribute(standby.Node, MetaNames.Standby, standby.On ? "on" : null),
                    $"{standby.Node} is {(standby.On ? "in standby" : "online")}");
            case SetMaintenance maintenance:
                return Changed(Config with { Properties = Config.Properties with { MaintenanceMode = maintenance.On } },
                    $"maintenance-mode is {(maintenance.On ? "on: nothing is started, stopped or monitored" : "off")}");
            case LoadConfiguration load:
                return Changed(load.Replace ? load.Config : ConfigUpdate.Merge(Config, load.Config),
                    load.Replace ? "configuration replaced" : "configuration updated");
            case MoveResource move:
                {
                    var top = Top(index, move.Resource);
                    var role = index.FindResource(top) is CloneResource { Promotable: true } ? ResourceRole.Promoted : (ResourceRole?)null;
                    var location = new LocationConstraint(PreferPrefix + top, top, Score.Infinity, move.Node, Role: role);
                    return Changed(Config with { Locations = [.. Config.Locations.Where(l => l.Id != location.Id), location] },
                        $"{top} prefers {move.Node} (location {location.Id}; 'clusterctl resource clear {top}' removes it)");
                }

            case ClearResource clear:
                {
                    var top = Top(index, clear.Resource);
                    var kept = Config.Locations.Where(l => !IsOperatorConstraint(l.Id, top)).ToList();
                    return kept.Count == Config.Locations.Count
                        ? AdminOutcome.Ok($"no move, ban or switchover constraint for {top}")
                        : Changed(Config with { Locations = [.. kept] }, $"constraints of {top} cleared");
                }

            case SwitchoverResource switchover:
                return Switchover(index, switchover.Resource);
            case FenceNode fence:
                // Run from here through the fencer, like the DC's fences; once the node is lost, the DC fences
                // it as unclean too, which an off device confirms at once (it is already off).
                _effects.Add(new RunFence(fence.Node, "clusterctl", $"clusterctl fence {fence.Node}", Config, Status()));
                return AdminOutcome.Ok($"fencing {fence.Node} requested from {LocalNode}");
            case CleanupResource cleanup:
                foreach (var member in View!.Members.Where(m => cleanup.Node is null || m == cleanup.Node))
                {
                    Send(member, new CleanupRequest(cleanup.Resource));
                }

                return AdminOutcome.Ok($"cleaned up {cleanup.Resource ?? "every resource"} on {cleanup.Node ?? "every node"}: it is probed again");
            default:
                return new AdminOutcome(AdminOutcomeCode.InvalidArgument, "unknown command");
        }
    }

    private AdminOutcome Switchover(ConfigIndex index, string resource)
    {
        var clone = index.FindResource(resource) as CloneResource ?? index.CloneOf(resource)!;
        var primitive = index.PrimitivesOf(clone.Id)[0].Id;
        var status = Status();
        var instances = status.FindResource(primitive)?.Instances ?? default;
        var promoted = instances.Where(i => i.Role == InstanceRole.Promoted).Select(i => i.Node).ToList();
        var target = instances
            .Where(i => i.Role == InstanceRole.Unpromoted && status.FindNode(i.Node) is { Online: true, Standby: false })
            .Select(i => i.Node)
            .FirstOrDefault(n => !promoted.Contains(n) && index.FindNode(n)?.Standby != true);
        if (target is null)
        {
            return new AdminOutcome(AdminOutcomeCode.FailedPrecondition,
                $"no online node runs {primitive} Unpromoted to take over the promoted role (promoted on {(promoted.Count == 0 ? "no node" : string.Join(", ", promoted))})");
        }

        var location = new LocationConstraint(SwitchoverPrefix + clone.Id, clone.Id, Score.Infinity, target, Role: ResourceRole.Promoted);
        return Changed(Config with { Locations = [.. Config.Locations.Where(l => !l.Id.StartsWith(SwitchoverPrefix + clone.Id, StringComparison.Ordinal)), location] },
            $"switching {clone.Id} over to {target}: its group stops, {primitive} is demoted on {string.Join(", ", promoted)} and promoted on {target}, the group starts there");
    }

    /// <summary>Once a switchover's target holds the promoted instance, its constraint goes: stickiness keeps it there.</summary>
    private void SettleSwitchovers(ClusterStatus status)
    {
        var index = new ConfigIndex(Config);
        var done = Config.Locations
            .Where(l => l.Id.StartsWith(SwitchoverPrefix, StringComparison.Ordinal) && l.Node is not null && index.FindResource(l.Resource) is not null)
            .Where(l => index.PrimitivesOf(l.Resource).All(p => status.RoleOf(p.Id, l.Node!) == InstanceRole.Promoted))
            .ToList();
        if (done.Count > 0)
        {
            Change(Config with { Locations = [.. Config.Locations.Except(done)] }, $"switchover of {string.Join(", ", done.Select(l => l.Resource))} completed");
        }
    }

    private AdminOutcome Changed(ClusterConfig changed, string message) =>
        Change(changed, message) is { } errors
            ? new AdminOutcome(AdminOutcomeCode.InvalidArgument, "the resulting configuration does not validate: " + errors)
            : AdminOutcome.Ok(message);

    private ClusterConfig WithNodeAttribute(string node, string name, string? value)
    {
        var existing = Config.Nodes.FirstOrDefault(n => n.Name == node) ?? new NodeDefinition(node);
        var attributes = value is null ? existing.Attributes.Remove(name) : existing.Attributes.SetItem(name, value);
        var updated = existing with { Attributes = attributes };
        return Config.Nodes.Any(n => n.Name == node)
            ? Config with { Nodes = [.. Config.Nodes.Select(n => n.Name == node ? updated : n)] }
            : Config with { Nodes = [.. Config.Nodes, updated] };
    }

    private static string Top(ConfigIndex index, string resource)
    {
        var top = resource;
        while (index.ParentOf(top) is { } parent)
        {
            top = parent.Id;
        }

        return top;
    }

    private static bool IsOperatorConstraint(string id, string resource) =>
        id == PreferPrefix + resource || id == SwitchoverPrefix + resource || id.StartsWith(BanPrefix + resource + "-", StringComparison.Ordinal);
}
