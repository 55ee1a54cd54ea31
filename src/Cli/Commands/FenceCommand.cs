using System.CommandLine;

namespace ClusterD.Cli.Commands;

/// <summary><c>clusterctl fence</c>: fence devices, checked from this node.</summary>
internal sealed class FenceCommand : Command
{
    public FenceCommand(CliContext context, GlobalOptions globals)
        : base("fence", "Fence devices: check that a node can be fenced")
    {
        Add(new FenceTestCommand(context, globals));
    }
}
