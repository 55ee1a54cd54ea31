using System.CommandLine;

namespace ClusterD.Cli.Commands;

/// <summary><c>clusterctl resource cleanup|move|clear|switchover</c>: operator commands on one resource, like <c>crm resource</c>.</summary>
internal sealed class ResourceCommand : Command
{
    public ResourceCommand(CliContext context, GlobalOptions globals)
        : base("resource", "Clean up, move, clear or switch over a resource (like crm resource)")
    {
        Add(new ResourceCleanupCommand(context, globals));
        Add(new ResourceMoveCommand(context, globals));
        Add(new ResourceClearCommand(context, globals));
        Add(new ResourceSwitchoverCommand(context, globals));
    }
}
