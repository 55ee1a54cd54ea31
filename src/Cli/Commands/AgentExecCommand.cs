using System.CommandLine;
using ClusterD.Agents;
using ClusterD.Agents.Metadata;
using ClusterD.Agents.Native;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;
using ClusterD.Cli.Rendering;
using ClusterD.Fencing;
using ClusterD.Fencing.Scripts;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl agent exec AGENT ACTION [--param k=v]... [--meta k=v]... [--timeout 20s] [--depth N] [--json]</c>:
/// runs one action of one agent on this node, as <c>crm_resource --force-start</c> does, and exits
/// with the agent's OCF exit code. The agent is resolved as the daemon resolves it (native first;
/// <c>script:</c> or <c>--meta clusterd-native=false</c> for the script). Bad input exits 2.
/// </summary>
/// <remarks>
/// Native agents run inside this short-lived process: state kept on disk (Dummy, Stateful)
/// persists, but what lives in memory ends with it. A <c>clusterd:probe-port</c> started here stops
/// listening when the command exits, so its start only shows that the port can be held.
/// Agent processes need real time, so this command uses the system clock, not the context's.
/// </remarks>
internal sealed class AgentExecCommand : ClusterCtlCommand
{
    private readonly Argument<string> _agent = new("AGENT")
    {
        Description = "ocf:PROVIDER:TYPE, lsb:NAME, systemd:UNIT, clusterd:TYPE or stonith:TYPE; prefix script: to skip native agents",
    };

    private readonly Argument<string> _action = new("ACTION") { Description = "One of: " + AgentActions.Names + "; for stonith: off, on, reboot, status, list, monitor, metadata" };

    private readonly Option<string[]> _params = new("--param", "-p")
    {
        Description = "An instance attribute, NAME=VALUE (OCF_RESKEY_NAME); repeatable",
        HelpName = "NAME=VALUE",
    };

    private readonly Option<string[]> _meta = new("--meta")
    {
        Description = "A meta attribute, NAME=VALUE (OCF_RESKEY_CRM_meta_NAME); repeatable",
        HelpName = "NAME=VALUE",
    };

    private readonly Option<string> _timeout = new("--timeout")
    {
        Description = "Kill the action after this long: 20s, 90, 2min, 500ms (default 20s)",
        HelpName = "DURATION",
    };

    private readonly Option<int> _depth = new("--depth")
    {
        Description = "Monitor depth, OCF_CHECK_LEVEL (default 0)",
        HelpName = "N",
        CustomParser = result => CommandLineInput.ParseCount(result, "--depth"),
    };

    private readonly Option<string> _instance = new("--instance")
    {
        Description = "The resource instance name, OCF_RESOURCE_INSTANCE (default: the agent type)",
        HelpName = "NAME",
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print { rc, name, durationMs, output, ... } as JSON" };

    public AgentExecCommand(CliContext context, GlobalOptions globals)
        : base("exec", "Run one agent action locally and exit with its OCF exit code", context, globals)
    {
        Add(_agent);
        Add(_action);
        Add(_params);
        Add(_meta);
        Add(_timeout);
        Add(_depth);
        Add(_instance);
        Add(_json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(_agent) is { } agentText && agentText.StartsWith(LocalFenceAgents.StonithPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return await ExecuteFenceAsync(parseResult, agentText[LocalFenceAgents.StonithPrefix.Length..], cancellationToken).ConfigureAwait(false);
        }

        if (!TryBuild(parseResult, out var name, out var request, out var error))
        {
            Context.Output.WriteError($"clusterctl: agent exec: {error}");
            Context.Output.WriteError("Run 'clusterctl agent exec --help' for usage.");
            return ExitCodes.Usage;
        }

        var time = TimeProvider.System;
        var scripts = new ScriptAgentOptions();
        if (Context.GetEnvironmentVariable("OCF_ROOT") is { Length: > 0 } ocfRoot)
        {
            scripts = scripts with { OcfRoot = ocfRoot };
        }

        // A short-lived process: adopting the orphans of a killed agent costs nothing and leaves no zombies.
        var runner = new AgentProcessRunner(new AgentProcessRunnerOptions { ReapOrphans = true }, time);
        var registry = new AgentRegistry().RegisterBuiltIns(new NativeAgentOptions(), time, runner);
        var agent = new AgentResolver(registry, scripts, runner).Resolve(name, request.Meta);
        var result = await agent.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Status == AgentExecutionStatus.Cancelled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        var view = AgentResultView.From(agent, request.Action, result);
        Context.Output.WriteLine(parseResult.GetValue(_json) ? JsonOutput.Serialize(view) : view.ToText());
        if (agent is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        return (int)result.ExitCode;
    }

    /// <summary>
    /// <c>agent exec stonith:TYPE ACTION --param plug=VM ...</c>: one fence action (off, on, reboot, status, list,
    /// monitor, metadata) with the parameters as the device would pass them; exits with the fence agent's status
    /// (0 success or on, 2 off for status, 1 failure). The default timeout is <c>stonith-timeout</c>'s 60 s.
    /// </summary>
    private async Task<int> ExecuteFenceAsync(ParseResult parseResult, string type, CancellationToken cancellationToken)
    {
        string? error = null;
        var actionText = parseResult.GetValue(_action);
        var timeout = FencingProperties.DefaultTimeout;
        var action = FenceAction.Status;
        if (!LocalFenceAgents.IsRunnable(type))
        {
            error = $"'stonith:{type}' is not a fence agent (fence_ followed by a-z, 0-9 or _, or external/azure)";
        }
        else if (!FenceActionNames.TryParse(actionText, out action))
        {
            error = $"unknown fence action '{actionText}'; expected one of: off, on, reboot, status, list, monitor, metadata";
        }
        else if (parseResult.GetValue(_timeout) is { } timeoutText && (!OcfDuration.TryParse(timeoutText, out timeout) || timeout <= TimeSpan.Zero))
        {
            error = $"--timeout '{timeoutText}' is not a positive duration (e.g. 60s, 90, 2min)";
        }

        if (error is not null || !TryPairs(parseResult.GetValue(_params), "--param", out var parameters, out error))
        {
            Context.Output.WriteError($"clusterctl: agent exec: {error}");
            Context.Output.WriteError("Run 'clusterctl agent exec --help' for usage.");
            return ExitCodes.Usage;
        }

        var plug = parameters.GetValueOrDefault("plug") ?? parameters.GetValueOrDefault("port");
        var agent = LocalFenceAgents.Create(type);
        var started = TimeProvider.System.GetTimestamp();
        var result = await agent.RunAsync(new FenceRequest(action, plug, parameters, timeout), cancellationToken).ConfigureAwait(false);
        var view = FenceResultView.From("stonith:" + type, action, plug, result, TimeProvider.System.GetElapsedTime(started));
        Context.Output.WriteLine(parseResult.GetValue(_json) ? JsonOutput.Serialize(view) : view.ToText());
        return view.Rc;
    }

    private bool TryBuild(ParseResult parseResult, out AgentName name, out AgentRequest request, out string error)
    {
        name = null!;
        request = null!;
        if (!AgentName.TryParse(parseResult.GetValue(_agent), out var parsed, out var nameError))
        {
            error = nameError;
            return false;
        }

        var actionText = parseResult.GetValue(_action);
        if (!AgentActions.TryParse(actionText, out var action))
        {
            error = $"unknown action '{actionText}'; expected one of: {AgentActions.Names}";
            return false;
        }

        if (!TryPairs(parseResult.GetValue(_params), "--param", out var parameters, out error)
            || !TryPairs(parseResult.GetValue(_meta), "--meta", out var meta, out error))
        {
            return false;
        }

        var timeout = AgentRequest.DefaultTimeout;
        if (parseResult.GetValue(_timeout) is { } timeoutText && (!OcfDuration.TryParse(timeoutText, out timeout) || timeout <= TimeSpan.Zero))
        {
            error = $"--timeout '{timeoutText}' is not a positive duration (e.g. 20s, 90, 2min, 500ms)";
            return false;
        }

        var depth = parseResult.GetValue(_depth);
        var instance = parseResult.GetValue(_instance) ?? parsed.Type;
        request = new AgentRequest(action.Value, instance)
        {
            Parameters = parameters,
            Meta = meta,
            Timeout = timeout,
            CheckLevel = depth,
            Notification = action == AgentAction.Notify ? NotificationFrom(meta) : null,
        };
        try
        {
            request.Validate();
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }

        name = parsed;
        error = "";
        return true;
    }

    /// <summary>A notify from the command line takes its type and operation from <c>--meta notify_type=</c>/<c>notify_operation=</c>.</summary>
    private static AgentNotification NotificationFrom(Dictionary<string, string> meta)
    {
        var type = meta.GetValueOrDefault("notify_type") == "pre" ? NotifyType.Pre : NotifyType.Post;
        var operation = AgentActions.TryParse(meta.GetValueOrDefault("notify_operation"), out var op) ? op.Value : AgentAction.Start;
        meta.Remove("notify_type");
        meta.Remove("notify_operation");
        return new AgentNotification(type, operation);
    }

    private static bool TryPairs(string[]? values, string option, out Dictionary<string, string> pairs, out string error)
    {
        pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? value[..equals] : "";
            if (equals <= 0 || !AgentRequest.IsSafeAttributeName(key))
            {
                error = $"{option} '{value}' is not NAME=VALUE with a name of letters, digits, '_', '-' or '.'";
                return false;
            }

            if (!pairs.TryAdd(key, value[(equals + 1)..]))
            {
                error = $"{option} {key} is given twice";
                return false;
            }
        }

        error = "";
        return true;
    }
}
