using System.CommandLine;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Commands;

/// <summary><c>clusterctl resource clear RES</c>: removes the constraints <c>move</c> and <c>switchover</c> added, as <c>crm resource clear</c>.</summary>
internal sealed class ResourceClearCommand : ClusterCtlCommand
{
    private readonly Argument<string> _resource = new Argument<string>("RES") { Description = "The resource" }.NotEmpty("a resource id");

    public ResourceClearCommand(CliContext context, GlobalOptions globals)
        : base("clear", "Remove the constraints 'move' and 'switchover' added (like crm resource clear)", context, globals)
    {
        Add(_resource);
    }

    protected override string DisplayName => "resource clear";

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new ClearResourceRequest { Resource = parseResult.GetValue(_resource)! };
        return SendAsync(parseResult, (client, options) => client.ClearResourceAsync(request, options), cancellationToken);
    }
}
