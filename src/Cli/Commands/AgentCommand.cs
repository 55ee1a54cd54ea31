using System.CommandLine;

namespace ClusterD.Cli.Commands;

/// <summary><c>clusterctl agent</c>: work with resource agents directly on this node, without the daemon.</summary>
internal sealed class AgentCommand : Command
{
    public AgentCommand(CliContext context, GlobalOptions globals)
        : base("agent", "Run resource agents locally, without a running daemon")
    {
        Add(new AgentExecCommand(context, globals));
    }
}
