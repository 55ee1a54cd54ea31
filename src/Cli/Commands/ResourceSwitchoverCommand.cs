using System.CommandLine;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Commands;

/// <summary><c>clusterctl resource switchover RES</c>: the promoted role of a promotable clone goes to the other node, in the safe order.</summary>
internal sealed class ResourceSwitchoverCommand : ClusterCtlCommand
{
    private readonly Argument<string> _resource = new Argument<string>("RES") { Description = "A promotable clone or its primitive" }.NotEmpty("a resource id");

    public ResourceSwitchoverCommand(CliContext context, GlobalOptions globals)
        : base("switchover", "Move the promoted role of a promotable clone to the other node (demote, then promote)", context, globals)
    {
        Add(_resource);
    }

    protected override string DisplayName => "resource switchover";

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new SwitchoverRequest { Resource = parseResult.GetValue(_resource)! };
        return SendAsync(parseResult, (client, options) => client.SwitchoverAsync(request, options), cancellationToken);
    }
}
