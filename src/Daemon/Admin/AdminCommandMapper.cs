using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Configuration;
using Grpc.Core;

namespace ClusterD.Daemon.Admin;

/// <summary>
/// Translates operator requests into controller commands. Requests come from outside: names are
/// required where the command needs them, and a configuration is parsed and validated whole here (crm
/// syntax or a CIB, told apart by content), so the controller only ever sees a valid one.
/// </summary>
internal static class AdminCommandMapper
{
    /// <summary>Longest input name echoed back in diagnostics.</summary>
    private const int MaxNameLength = 256;

    /// <param name="localNode">The answering daemon's node: the default of <c>standby</c> without a node.</param>
    public static AdminCommand ToCommand(StandbyRequest request, string localNode) =>
        new SetStandby(request.Node.Length == 0 ? localNode : request.Node, request.On);

    public static AdminCommand ToCommand(CleanupRequest request) =>
        new CleanupResource(Required(request.Resource, "resource"), request.Node.Length == 0 ? null : request.Node);

    public static AdminCommand ToCommand(MoveResourceRequest request) =>
        new MoveResource(Required(request.Resource, "resource"), Required(request.Node, "node"));

    public static AdminCommand ToCommand(ClearResourceRequest request) => new ClearResource(Required(request.Resource, "resource"));

    public static AdminCommand ToCommand(SwitchoverRequest request) => new SwitchoverResource(Required(request.Resource, "resource"));

    public static AdminCommand ToCommand(MaintenanceRequest request) => new SetMaintenance(request.On);

    public static AdminCommand ToCommand(FenceNodeRequest request) => new FenceNode(Required(request.Node, "node"));

    /// <summary>The parsed configuration and its warnings.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT listing every error as <c>name:line:column: message</c>.</exception>
    public static (AdminCommand Command, IReadOnlyList<string> Warnings) ToCommand(LoadConfigurationRequest request)
    {
        var parsed = ConfigText.Parse(request.Text, NameOf(request.Name));
        if (!parsed.Succeeded)
        {
            var errors = parsed.Errors.IsEmpty ? ["the configuration could not be read"] : parsed.Errors.Select(e => e.ToString());
            throw AdminOutcomeMapper.Refusal(StatusCode.InvalidArgument, string.Join('\n', errors));
        }

        return (new LoadConfiguration(parsed.Config, request.Replace), [.. parsed.Warnings.Select(w => w.ToString())]);
    }

    public static GetConfigurationReply ToReply(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new GetConfigurationReply { Crm = CrmWriter.Write(config), AdminEpoch = config.Version.AdminEpoch, Epoch = config.Version.Epoch };
    }

    private static string Required(string value, string what) =>
        value.Length > 0 ? value : throw AdminOutcomeMapper.Refusal(StatusCode.InvalidArgument, $"a {what} is required");

    /// <summary>The caller's file name, on one line and bounded, since it is echoed in every diagnostic.</summary>
    private static string NameOf(string name)
    {
        var clean = new string([.. name.Take(MaxNameLength).Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length == 0 ? "<input>" : clean;
    }
}
