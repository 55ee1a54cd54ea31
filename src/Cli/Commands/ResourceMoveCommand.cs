using System.CommandLine;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl resource move RES NODE</c>: a <c>cli-prefer-RES</c> location of INFINITY, as <c>crm resource move</c>;
/// it stays until <c>resource clear RES</c>.
/// </summary>
internal sealed class ResourceMoveCommand : ClusterCtlCommand
{
    private readonly Argument<string> _resource = new Argument<string>("RES") { Description = "The resource" }.NotEmpty("a resource id");
    private readonly Argument<string> _node = new Argument<string>("NODE") { Description = "The node it should run on" }.NotEmpty("a node name");

    public ResourceMoveCommand(CliContext context, GlobalOptions globals)
        : base("move", "Make a resource prefer a node until 'resource clear' (like crm resource move)", context, globals)
    {
        Add(_resource);
        Add(_node);
    }

    protected override string DisplayName => "resource move";

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new MoveResourceRequest { Resource = parseResult.GetValue(_resource)!, Node = parseResult.GetValue(_node)! };
        return SendAsync(parseResult, (client, options) => client.MoveResourceAsync(request, options), cancellationToken);
    }
}
