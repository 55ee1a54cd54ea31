using System.CommandLine;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl standby [NODE]</c> and <c>clusterctl unstandby [NODE]</c>: the permanent node attribute
/// <c>standby</c>, as <c>crm node standby|online</c>. Without NODE, the node of the daemon answering.
/// </summary>
internal sealed class StandbyCommand : ClusterCtlCommand
{
    private readonly bool _on;
    private readonly Argument<string?> _node = new Argument<string?>("NODE")
    {
        Description = "The node (default: this node)",
        Arity = ArgumentArity.ZeroOrOne,
    }.NotEmpty("a node name");

    public StandbyCommand(CliContext context, GlobalOptions globals, bool on)
        : base(on ? "standby" : "unstandby",
            on ? "Put a node in standby: its resources move away and nothing starts there (like crm node standby)"
               : "Take a node out of standby (like crm node online)",
            context, globals)
    {
        _on = on;
        Add(_node);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new StandbyRequest { Node = parseResult.GetValue(_node) ?? "", On = _on };
        return SendAsync(parseResult, (client, options) => client.StandbyAsync(request, options), cancellationToken);
    }
}
