using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using ClusterD.Cli.Configuration;
using ClusterD.Cli.Rendering;
using ClusterD.Platform.Files;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl simulate --config FILE [--status FILE] [what-if flags] [--json|--dot]</c>: runs the
/// scheduler offline, like <c>crm_simulate</c>, and prints the placement and the ordered transition.
/// The configuration is crm syntax or a CIB (told apart by content; a CIB brings its own status
/// unless <c>--status</c> is given). Without a status every node is online and nothing runs.
/// Needs no daemon. A configuration, status or what-if error exits 1 with <c>file:line:column</c>.
/// <c>--run</c> goes on like <c>crm_simulate --simulate</c>, repeated: every action gives the result its
/// transition expects, the results are recorded and the scheduler asked again until it has nothing
/// left to do; a cluster that does not settle within <see cref="MaxRunTransitions"/> exits 1.
/// <c>--replay ID</c> runs a decision of the journal again instead (<see cref="SimulateReplay"/>).
/// </summary>
internal sealed class SimulateCommand : ClusterCtlCommand
{
    private readonly Option<string> _config = new Option<string>("--config", "-c") { Description = "The resource configuration: crm syntax or a Pacemaker CIB (XML); required unless --replay", HelpName = "FILE" }.NotEmpty();
    private readonly Option<string> _status = new Option<string>("--status", "-s") { Description = "The status as 'clusterctl status --json' prints it (with failcounts, attributes, operations)", HelpName = "FILE" }.NotEmpty();
    private readonly Option<string[]> _nodeFail = new("--node-fail") { Description = "Lose NODE uncleanly: it must be fenced before its resources move (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _nodeDown = new("--node-down") { Description = "NODE left cleanly, its resources stopped (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _nodeUp = new("--node-up") { Description = "NODE comes online (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _standby = new("--standby") { Description = "Put NODE in standby (repeatable)", HelpName = "NODE" };
    private readonly Option<string[]> _fail = new("--fail") { Description = "Fail an operation: RES:NODE:OP or RES:NODE:OP:RC, OP one of monitor, start, stop, promote, demote (repeatable)", HelpName = "RES:NODE:OP" };
    private readonly Option<string> _now = new("--now") { Description = "The time failure-timeout is measured against (ISO 8601; default: now)", HelpName = "TIME" };
    private readonly Option<bool> _json = new("--json") { Description = "Print { placement, actions } as JSON" };
    private readonly Option<bool> _dot = new("--dot") { Description = "Print the transition as a Graphviz digraph" };
    private readonly Option<bool> _run = new("--run") { Description = $"Execute each transition as if every action succeeded, record it and schedule again until nothing is left (at most {MaxRunTransitions} transitions)" };
    private readonly Option<long?> _replay = new("--replay") { Description = "Run decision ID of the daemon's decision journal again and check that the scheduler still decides the same", HelpName = "ID" };
    private readonly Option<string> _journal = new Option<string>("--journal") { Description = $"With --replay: the journal directory (default: state_dir/journal, state_dir from {SocketPathResolver.DefaultConfPath}, else {ClusterdConfReader.DefaultStateDir})", HelpName = "DIR" }.NotEmpty();
    private readonly Option<string> _statusOut = new Option<string>("--status-out") { Description = "With --run: write the resulting status to FILE, in the form --status reads (a regular file, replaced atomically)", HelpName = "FILE" }.NotEmpty();

    /// <summary>Transitions <c>--run</c> executes before it calls the cluster unsettled (flapping).</summary>
    public const int MaxRunTransitions = 10;

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
        Add(_run);
        Add(_statusOut);
        Add(_replay);
        Add(_journal);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(_json) && parseResult.GetValue(_dot))
        {
            return Usage("--json and --dot cannot be combined");
        }

        if (parseResult.GetValue(_run) && parseResult.GetValue(_dot))
        {
            return Usage("--run and --dot cannot be combined");
        }

        if (parseResult.GetValue(_replay) is { } replay)
        {
            return Replay(parseResult, replay);
        }

        if (parseResult.GetValue(_journal) is not null)
        {
            return Usage("--journal needs --replay");
        }

        if (parseResult.GetValue(_config) is null)
        {
            return Usage("--config FILE (or --replay ID) is required");
        }

        if (parseResult.GetValue(_statusOut) is not null && !parseResult.GetValue(_run))
        {
            return Usage("--status-out needs --run");
        }

        if (parseResult.GetValue(_statusOut) is { } target && !AtomicTextFile.TryCheckTarget(target, out var targetError))
        {
            return Fail($"--status-out {target}: {targetError}");
        }

        var now = Context.Time.GetUtcNow();
        if (parseResult.GetValue(_now) is { } nowText
            && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out now))
        {
            return Usage($"--now '{nowText}' is not an ISO 8601 time such as 2026-03-01T12:00:00Z");
        }

        if (!TryWhatIf(parseResult, out var whatIf, out var error))
        {
            return Usage(error);
        }

        ClusterConfig config;
        ClusterStatus status;
        var reading = parseResult.GetValue(_config)!;
        try
        {
            if (!TryLoad(parseResult.GetValue(_config)!, parseResult.GetValue(_status), ref reading, cancellationToken, out config, out status))
            {
                return ExitCodes.Error;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Context.Output.WriteError($"clusterctl: simulate: interrupted (SIGINT or SIGTERM) while reading {reading}; nothing was printed or written");
            return ExitCodes.Interrupted;
        }

        var known = config.Nodes.Select(n => n.Name).Concat(status.Nodes.Select(n => n.Name)).ToHashSet(StringComparer.Ordinal);
        if (whatIf.NodeFail.Concat(whatIf.NodeDown).Concat(whatIf.Standby).FirstOrDefault(n => !known.Contains(n)) is { } unknown)
        {
            return Fail($"'{unknown}' is not a node of the configuration or the status (use --node-up to add one)");
        }

        try
        {
            status = whatIf.Apply(status, config, now);
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }

        try
        {
            return parseResult.GetValue(_run)
                ? await RunAsync(parseResult, config, status, now, cancellationToken)
                : Print(parseResult, Scheduler.Schedule(config, status, now, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nothing was printed or written: the whole result or nothing.
            Context.Output.WriteError("clusterctl: simulate: interrupted (SIGINT or SIGTERM) before it finished; nothing was printed or written");
            return ExitCodes.Interrupted;
        }
    }

    private int Print(ParseResult parseResult, TransitionGraph graph)
    {
        if (parseResult.GetValue(_json))
        {
            Context.Output.WriteLine(JsonOutput.Serialize(TransitionView.From(graph)));
            foreach (var warning in graph.Warnings)
            {
                Context.Output.WriteError($"clusterctl: simulate: warning: {warning}");
            }
        }
        else
        {
            Context.Output.WriteLine(parseResult.GetValue(_dot) ? SimulateTextRenderer.RenderDot(graph) : SimulateTextRenderer.Render(graph));
        }

        return ExitCodes.Ok;
    }

    private async Task<int> RunAsync(ParseResult parseResult, ClusterConfig config, ClusterStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var executor = new TransitionExecutor(ExpectedResultRunner.Instance, Context.Time);
        var outcome = await TransitionLoop.RunAsync(config, status, executor, now, MaxRunTransitions, cancellationToken, probe: false);
        if (parseResult.GetValue(_json))
        {
            Context.Output.WriteLine(JsonOutput.Serialize(new SimulateRunView([.. outcome.Steps.Select(s => TransitionView.From(s.Graph))], outcome.Settled)));
            foreach (var warning in outcome.Steps.SelectMany(s => s.Graph.Warnings).Distinct(StringComparer.Ordinal))
            {
                Context.Output.WriteError($"clusterctl: simulate: warning: {warning}");
            }
        }
        else
        {
            Context.Output.WriteLine(SimulateTextRenderer.RenderRun(outcome, MaxRunTransitions));
        }

        if (parseResult.GetValue(_statusOut) is { } statusOut
            && !AtomicTextFile.TryWrite(statusOut, StatusJson.Write(outcome.Status) + "\n", out var writeError))
        {
            return Fail($"--status-out {statusOut}: {writeError}");
        }

        if (!outcome.Settled)
        {
            return Fail($"the cluster did not settle within {MaxRunTransitions} transitions: the scheduler keeps changing its plan");
        }

        return ExitCodes.Ok;
    }

    private int Replay(ParseResult parseResult, long id)
    {
        Option[] inputs = [_config, _status, _nodeFail, _nodeDown, _nodeUp, _standby, _fail, _now, _run, _statusOut];
        if (inputs.FirstOrDefault(o => parseResult.GetResult(o) is { Implicit: false }) is { } extra)
        {
            return Usage($"--replay takes its inputs from the journal; {extra.Name} cannot be combined with it");
        }

        if (id <= 0)
        {
            return Usage($"--replay {id}: a journal entry id is a positive whole number");
        }

        var directory = parseResult.GetValue(_journal) ?? Path.Combine(ClusterdConfReader.ReadStateDirFromFile(Context.ConfPath), "journal");
        return SimulateReplay.Run(Context, id, directory, parseResult.GetValue(_json), parseResult.GetValue(_dot));
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

    /// <param name="reading">The file being read, for the message when reading is interrupted.</param>
    private bool TryLoad(string configPath, string? statusPath, ref string reading, CancellationToken cancellationToken, out ClusterConfig config, out ClusterStatus status)
    {
        status = ClusterStatus.Empty;
        reading = configPath;
        if (!ConfigurationFile.TryReadInterruptible(configPath, includeStatus: statusPath is null, Context.Output, Name, cancellationToken, out config, out var cibStatus))
        {
            return false;
        }

        if (statusPath is not null)
        {
            reading = statusPath;
            var read = StatusJson.ReadFileInterruptible(statusPath, cancellationToken);
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
