using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Scripts;

/// <summary>
/// A systemd unit driven through <c>systemctl</c>: start and stop wait for the job
/// (<c>systemctl start|stop UNIT</c>), monitor reads <c>ActiveState</c> (active or reloading is
/// running; inactive, failed or deactivating is not running; activating is a generic error, the
/// unit is neither up nor down). A unit without a type suffix is a <c>.service</c>. Where
/// systemd is not PID 1, every action is <see cref="OcfExitCode.NotInstalled"/> without running
/// anything, and so is a unit systemd does not know (<c>LoadState=not-found</c>).
/// </summary>
public sealed class SystemdUnitAgent : IResourceAgent
{
    private static readonly string[] UnitSuffixes =
        [".service", ".socket", ".target", ".mount", ".timer", ".path", ".device", ".swap", ".slice", ".scope", ".automount"];

    private readonly ScriptAgentOptions _options;
    private readonly AgentProcessRunner _runner;

    public SystemdUnitAgent(AgentName name, ScriptAgentOptions options, AgentProcessRunner runner)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        if (name.Class != AgentClass.Systemd)
        {
            throw new ArgumentException($"'{name}' is not a systemd agent", nameof(name));
        }

        Name = name;
        _options = options;
        _runner = runner;
        Unit = UnitSuffixes.Any(s => name.Type.EndsWith(s, StringComparison.Ordinal)) ? name.Type : name.Type + ".service";
    }

    /// <inheritdoc/>
    public AgentName Name { get; }

    /// <summary>The full unit name.</summary>
    public string Unit { get; }

    /// <inheritdoc/>
    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (!Directory.Exists(_options.SystemdRuntimeDirectory))
        {
            return AgentResult.NotRun(OcfExitCode.NotInstalled,
                $"systemd is not running on this host ({_options.SystemdRuntimeDirectory} is missing), so {Unit} cannot be managed");
        }

        if (request.Action is AgentAction.Promote or AgentAction.Demote or AgentAction.Notify)
        {
            return AgentResult.Completed(OcfExitCode.Unimplemented, TimeSpan.Zero, $"systemd units have no {request.Action.ToOcfName()} action");
        }

        if (request.Action == AgentAction.MetaData)
        {
            return AgentResult.Completed(OcfExitCode.Success, TimeSpan.Zero) with
            {
                Output = SyntheticMetadata.Create(Unit, $"systemd unit {Unit}", $"{Unit}, driven through systemctl",
                    [("start", 100, null), ("stop", 100, null), ("monitor", 100, 60), ("meta-data", 5, null)]),
            };
        }

        var load = await SystemctlAsync(request, cancellationToken, "show", "--property=LoadState", "--value", Unit).ConfigureAwait(false);
        if (load.Status != AgentExecutionStatus.Completed)
        {
            return load;
        }

        if (load.Output.Trim() == "not-found")
        {
            return load with { ExitCode = OcfExitCode.NotInstalled, ExitReason = $"systemd knows no unit {Unit}" };
        }

        return request.Action switch
        {
            AgentAction.Start => await SystemctlAsync(request, cancellationToken, "start", Unit).ConfigureAwait(false),
            AgentAction.Stop => await SystemctlAsync(request, cancellationToken, "stop", Unit).ConfigureAwait(false),
            AgentAction.Monitor => MapActiveState(
                await SystemctlAsync(request, cancellationToken, "show", "--property=ActiveState", "--value", Unit).ConfigureAwait(false)),
            _ => load with { ExitCode = OcfExitCode.Success },
        };
    }

    /// <summary>Maps <c>ActiveState</c> (systemd.unit(5) / <c>org.freedesktop.systemd1.Unit</c>) to a monitor result.</summary>
    internal static AgentResult MapActiveState(AgentResult show)
    {
        if (show.Status != AgentExecutionStatus.Completed || show.ExitCode != OcfExitCode.Success)
        {
            return show;
        }

        var state = show.Output.Trim();
        return state switch
        {
            "active" or "reloading" or "refreshing" => show with { ExitCode = OcfExitCode.Success },
            "inactive" or "deactivating" => show with { ExitCode = OcfExitCode.NotRunning },
            "failed" => show with { ExitCode = OcfExitCode.NotRunning, ExitReason = "the unit is in the failed state" },
            _ => show with { ExitCode = OcfExitCode.GenericError, ExitReason = $"the unit is {state}" },
        };
    }

    private async Task<AgentResult> SystemctlAsync(AgentRequest request, CancellationToken cancellationToken, params string[] arguments)
    {
        var spec = new ProcessSpec(_options.SystemctlPath)
        {
            Arguments = [.. arguments],
            Environment = new Dictionary<string, string> { ["PATH"] = _options.Path, ["LC_ALL"] = "C", ["SYSTEMD_PAGER"] = "" },
            Timeout = request.Timeout,
            OutputLimit = _options.OutputLimit,
        };
        var outcome = await _runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        return ScriptResults.FromOutcome(outcome, status => status is >= 0 and <= 7 ? (OcfExitCode)status : OcfExitCode.GenericError);
    }
}
