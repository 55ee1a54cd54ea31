using System.CommandLine;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Commands;

/// <summary><c>clusterctl resource cleanup RES [--node N]</c>: forget failures and operation history, and probe again.</summary>
internal sealed class ResourceCleanupCommand : ClusterCtlCommand
{
    private readonly Argument<string> _resource = new Argument<string>("RES") { Description = "The resource" }.NotEmpty("a resource id");
    private readonly Option<string> _node = new Option<string>("--node") { Description = "Only on this node (default: every node)", HelpName = "NODE" }.NotEmpty("a node name");

    public ResourceCleanupCommand(CliContext context, GlobalOptions globals)
        : base("cleanup", "Forget a resource's failures and history and probe it again (like crm resource cleanup)", context, globals)
    {
        Add(_resource);
        Add(_node);
    }

    protected override string DisplayName => "resource cleanup";

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new CleanupRequest { Resource = parseResult.GetValue(_resource)!, Node = parseResult.GetValue(_node) ?? "" };
        return SendAsync(parseResult, (client, options) => client.CleanupAsync(request, options), cancellationToken);
    }
}
