using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using ClusterD.Cli.Rendering;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl simulate --config FILE [--status FILE] [what-if flags] [--json|--dot]</c>: runs the
/// scheduler offline, like <c>crm_simulate</c>, and prints the placement and the ordered transition.
/// The configuration is crm syntax or a CIB (told apart by content; a CIB brings its own status
/// unless <c>--status</c> is given). Without a status every node is online and nothing runs.
/// Needs no daemon. A configuration, status or what-if error exits 1 with <c>file:line:column</c>.
/// </summary>
internal sealed class SimulateCommand : ClusterCtlCommand
{
    private readonly Option<string> _config = new("--config", "-c") { Description = "The resource configuration: crm syntax or a Pacemaker CIB (XML)", Required = true, HelpName = "FILE" };
    private readonly Option<string> _status = new("--status", "-s") { Description = "The status as 'clusterctl status --json' prints it (with failcounts, attributes, operations)", HelpName = "FILE" };
    private readonly Option<string[]> _nodeFail = new("--node-fail") { Description = "Lose NODE uncleanly: it must be fenced before its resources move (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _nodeDown = new("--node-down") { Description = "NODE left cleanly, its resources stopped (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _nodeUp = new("--node-up") { Description = "NODE comes online (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _standby = new("--standby") { Description = "Put NODE in standby (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _fail = new("--fail") { Description = "Fail an operation: RES:NODE:OP or RES:NODE:OP:RC, OP one of monitor, start, stop, promote, demote (repeatable)", HelpName = "RES:NODE:OP" };
    private readonly Option<string> _now = new("--now") { Description = "The time failure-timeout is measured against (ISO 8601; default: now)", HelpName = "TIME" };
    private readonly Option<bool> _json = new("--json") { Description = "Print { placement, actions } as JSON" };
    private readonly Option<bool> _dot = new("--dot") { Description = "Print the transition as a Graphviz digraph" };

    public SimulateCommand(CliContext context, GlobalOptions globals)
        : base("simulate", "Run the scheduler offline on a configuration and a status, with what-if changes", context, globals)
    {
        Add(_config);
        Add(_status);
        Add(_nodeFail);
        Add(_nodeDown);
        Add(_nodeUp);
        Add(_standby);
        Add(_fail);
        Add(_now);
        Add(_json);
        Add(_dot);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(_json) && parseResult.GetValue(_dot))
        {
            return Task.FromResult(Usage("--json and --dot cannot be combined"));
        }

        var now = Context.Time.GetUtcNow();
        if (parseResult.GetValue(_now) is { } nowText
            && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out now))
        {
            return Task.FromResult(Usage($"--now '{nowText}' is not an ISO 8601 time such as 2026-03-01T12:00:00Z"));
        }

        if (!TryWhatIf(parseResult, out var whatIf, out var error))
        {
            return Task.FromResult(Usage(error));
        }

        if (!TryLoad(parseResult.GetValue(_config)!, parseResult.GetValue(_status), out var config, out var status))
        {
            return Task.FromResult(ExitCodes.Error);
        }

        var known = config.Nodes.Select(n => n.Name).Concat(status.Nodes.Select(n => n.Name)).ToHashSet(StringComparer.Ordinal);
        if (whatIf.NodeFail.Concat(whatIf.NodeDown).Concat(whatIf.Standby).FirstOrDefault(n => !known.Contains(n)) is { } unknown)
        {
            return Task.FromResult(Fail($"'{unknown}' is not a node of the configuration or the status (use --node-up to add one)"));
        }

        try
        {
            status = whatIf.Apply(status, config, now);
        }
        catch (ArgumentException e)
        {
            return Task.FromResult(Fail(e.Message));
        }

        var graph = Scheduler.Schedule(config, status, now);
        if (parseResult.GetValue(_json))
        {
            Context.Output.WriteLine(JsonOutput.Serialize(SimulateView.From(graph)));
            foreach (var warning in graph.Warnings)
            {
                Context.Output.WriteError($"clusterctl: simulate: warning: {warning}");
            }
        }
        else
        {
            Context.Output.WriteLine(parseResult.GetValue(_dot) ? SimulateTextRenderer.RenderDot(graph) : SimulateTextRenderer.Render(graph));
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    private bool TryWhatIf(ParseResult parseResult, out WhatIf whatIf, out string error)
    {
        var failures = ImmutableArray.CreateBuilder<InjectedFailure>();
        foreach (var text in parseResult.GetValue(_fail) ?? [])
        {
            if (!InjectedFailure.TryParse(text, out var failure, out error))
            {
                whatIf = new WhatIf();
                error = "--fail " + error;
                return false;
            }

            failures.Add(failure!);
        }

        whatIf = new WhatIf
        {
            NodeUp = [.. parseResult.GetValue(_nodeUp) ?? []],
            NodeDown = [.. parseResult.GetValue(_nodeDown) ?? []],
            NodeFail = [.. parseResult.GetValue(_nodeFail) ?? []],
            Standby = [.. parseResult.GetValue(_standby) ?? []],
            Failures = failures.ToImmutable(),
        };
        error = "";
        return true;
    }

    private bool TryLoad(string configPath, string? statusPath, out ClusterConfig config, out ClusterStatus status)
    {
        status = ClusterStatus.Empty;
        if (!ConfigurationFile.TryRead(configPath, includeStatus: statusPath is null, Context.Output, Name, out config, out var cibStatus))
        {
            return false;
        }

        if (statusPath is not null)
        {
            var read = StatusJson.ReadFile(statusPath);
            if (!ConfigurationFile.Report(Context.Output, Name, read.Errors, []))
            {
                return false;
            }

            status = read.Status!;
        }
        else
        {
            status = cibStatus ?? ClusterStatus.AllOnline(config.Nodes.Select(n => n.Name));
        }

        return true;
    }

    private int Usage(string message)
    {
        Context.Output.WriteError($"clusterctl: simulate: {message}");
        Context.Output.WriteError("Run 'clusterctl simulate --help' for usage.");
        return ExitCodes.Usage;
    }

    private int Fail(string message)
    {
        Context.Output.WriteError($"clusterctl: simulate: {message}");
        return ExitCodes.Error;
    }
}
