using System.CommandLine;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Commands;

/// <summary><c>clusterctl maintenance on|off</c>: the <c>maintenance-mode</c> property; while on, nothing is started, stopped or monitored.</summary>
internal sealed class MaintenanceCommand : ClusterCtlCommand
{
    private readonly Argument<string> _mode = new("MODE") { Description = "on or off" };

    public MaintenanceCommand(CliContext context, GlobalOptions globals)
        : base("maintenance", "Turn maintenance mode on or off (the maintenance-mode property)", context, globals)
    {
        _mode.AcceptOnlyFromAmong("on", "off");
        Add(_mode);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = new MaintenanceRequest { On = parseResult.GetValue(_mode) == "on" };
        return SendAsync(parseResult, (client, options) => client.MaintenanceAsync(request, options), cancellationToken);
    }
}
