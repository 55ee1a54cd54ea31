using System.CommandLine;
using ClusterD.Admin.V1;
using ClusterD.Cli.Rendering;
using ClusterD.Fencing;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Devices;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl fence test NODE [--config FILE] [--device ID] [--timeout 60s] [--json]</c>: checks, from this
/// node, that the configured devices can fence NODE, without powering anything off: which devices take the
/// node and under which name (host list and map), then for the built-in Azure agent its credentials, the VM,
/// the identity's role and the resource group's list (<see cref="AzureArmFenceAgent.VerifyAsync"/>), and for
/// <c>fence_*</c> agents their <c>monitor</c> and the node's <c>status</c>. The configuration is the live one
/// from the daemon, or FILE. Exits 0 when a device is ready, 1 when none is, 2 on bad input.
/// </summary>
internal sealed class FenceTestCommand : ClusterCtlCommand
{
    private readonly Argument<string> _node = new("NODE") { Description = "The node to check, as the configuration names it" };

    private readonly Option<string> _config = new("--config")
    {
        Description = "A crm configuration file to take the devices from (default: the live configuration from the daemon)",
        HelpName = "FILE",
    };

    private readonly Option<string> _device = new("--device") { Description = "Check only this device (its primitive id)", HelpName = "ID" };

    private readonly Option<string> _timeout = new("--timeout") { Description = "Longest time per device (default 60s)", HelpName = "DURATION" };

    private readonly Option<bool> _json = new("--json") { Description = "Print what was verified as JSON" };

    public FenceTestCommand(CliContext context, GlobalOptions globals)
        : base("test", "Check that NODE can be fenced (credentials, role, host mapping) without powering anything off", context, globals)
    {
        Add(_node);
        Add(_config);
        Add(_device);
        Add(_timeout);
        Add(_json);
    }

    protected override string DisplayName => "fence test";

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var node = parseResult.GetValue(_node) ?? "";
        var timeout = FencingProperties.DefaultTimeout;
        if (parseResult.GetValue(_timeout) is { } timeoutText)
        {
            if (!Duration.TryParse(timeoutText, out var parsed) || parsed <= Duration.Zero)
            {
                Context.Output.WriteError($"clusterctl: fence test: --timeout '{timeoutText}' is not a positive duration (e.g. 60s, 2min)");
                return ExitCodes.Usage;
            }

            timeout = parsed.ToTimeSpan();
        }

        ClusterConfig? config;
        if (parseResult.GetValue(_config) is { } file)
        {
            if (!ConfigurationFile.TryRead(file, includeStatus: false, Context.Output, DisplayName, out config, out _))
            {
                return ExitCodes.Error;
            }
        }
        else
        {
            using var connection = Connect(parseResult);
            var reply = await connection.Client.GetConfigurationAsync(new GetConfigurationRequest(), deadline: Deadline(), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var live = CrmParser.Parse(reply.Crm, "live configuration");
            if (!ConfigurationFile.Report(Context.Output, DisplayName, live.Errors, []) || live.Config is null)
            {
                return ExitCodes.Error;
            }

            config = live.Config;
        }

        var all = FenceDevices.From(config);
        var devices = all.Devices.Where(d => parseResult.GetValue(_device) is not { } id || d.Id == id).ToList();
        if (devices.Count == 0)
        {
            Context.Output.WriteError($"clusterctl: fence test: {(all.Devices.IsEmpty ? "no fence device is configured" : $"no device {parseResult.GetValue(_device)}")}");
            return ExitCodes.Error;
        }

        var views = new List<FenceTestDeviceView>();
        foreach (var device in devices)
        {
            var checks = await CheckAsync(device, node, timeout, cancellationToken).ConfigureAwait(false);
            var ready = checks.Count > 0 && checks.All(c => c.Result != FenceCheckResult.Failed);
            views.Add(new FenceTestDeviceView(device.Id, device.AgentType, device.PlugFor(node), ready, [.. checks.Select(FenceTestCheckView.From)]));
        }

        var view = new FenceTestView(node, views.Any(v => v.Ready), views, all.Warnings);
        Context.Output.WriteLine(parseResult.GetValue(_json) ? JsonOutput.Serialize(view) : view.ToText());
        return view.Ready ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>The host mapping, then the agent's own checks (reads only).</summary>
    private static async Task<List<FenceCheck>> CheckAsync(FenceDevice device, string node, TimeSpan timeout, CancellationToken ct)
    {
        var plug = device.PlugFor(node);
        var mapped = device.HostMap.Any(p => string.Equals(p.Key, node, StringComparison.OrdinalIgnoreCase));
        var how = mapped ? "by pcmk_host_map" : "by its node name";
        var checks = new List<FenceCheck>();
        switch (device.CanFenceStatically(node))
        {
            case true:
                checks.Add(new FenceCheck("host map", FenceCheckResult.Passed, $"{node} is '{plug}' {how}, in the device's static list"));
                break;
            case false:
                checks.Add(new FenceCheck("host map", FenceCheckResult.Failed,
                    $"{node} ('{plug}' {how}) is not among the nodes this device fences (pcmk_host_list, hostlist or pcmk_host_map)"));
                return checks;
            default:
                checks.Add(new FenceCheck("host map", FenceCheckResult.Passed, $"{node} is '{plug}' {how}; {device.HostCheck} decides (below)"));
                break;
        }

        var agent = LocalFenceAgents.Create(device.AgentType);
        var status = device.RequestFor(FenceAction.Status, node, timeout);
        if (agent is AzureArmFenceAgent azure)
        {
            checks.AddRange(await azure.VerifyAsync(status, ct).ConfigureAwait(false));
            return checks;
        }

        var monitor = await agent.RunAsync(device.RequestFor(FenceAction.Monitor, null, timeout), ct).ConfigureAwait(false);
        checks.Add(new FenceCheck("monitor", monitor.Succeeded ? FenceCheckResult.Passed : FenceCheckResult.Failed,
            monitor.Succeeded ? $"{device.AgentType} monitor succeeded" : monitor.Reason ?? "failed"));
        var state = await agent.RunAsync(status, ct).ConfigureAwait(false);
        checks.Add(new FenceCheck("status", state.Succeeded ? FenceCheckResult.Passed : FenceCheckResult.Failed,
            state.Succeeded ? $"'{plug}' is {(state.IsOff ? "off" : "on")}" : state.Reason ?? "failed"));
        return checks;
    }
}
