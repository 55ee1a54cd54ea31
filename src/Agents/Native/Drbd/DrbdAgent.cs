using System.Globalization;
using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Native.Drbd;

/// <summary>
/// One DRBD resource as a promotable clone instance: the native form of <c>ocf:linbit:drbd</c>
/// (parameter <c>drbd_resource</c>), through <c>drbdadm</c> and <c>drbdsetup</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>start: <c>drbdadm up</c> when not up; the instance runs as Secondary.</item>
/// <item>promote: only when the local disk is UpToDate, or Consistent while the peer's disk is known
/// Outdated or Inconsistent, and the peer is not Primary; then <c>drbdadm primary</c>, confirmed by
/// the status.</item>
/// <item>demote: <c>drbdadm secondary</c>, confirmed.</item>
/// <item>stop: demotes if needed and, unlike ocf:linbit:drbd, does NOT take the resource down (the
/// seed's first listed limitation: a node going standby must keep replicating). The instance is
/// marked stopped in the state directory, so monitor answers 7 while DRBD stays up, connected and
/// Secondary. <c>stop_action=down</c> restores the old behaviour.</item>
/// <item>monitor: 8 when Primary (9 when Primary without a usable disk), 0 when Secondary, 7 when
/// not up or stopped; always reports role, disk, connection, the peer's role and disk and a
/// promotion score in <see cref="AgentResult.Extras"/>.</item>
/// </list>
/// </remarks>
public sealed class DrbdAgent : NativeAgent
{
    private readonly NativeAgentOptions _options;
    private readonly NativeTools _tools;

    public DrbdAgent(AgentName name, NativeAgentOptions options, AgentProcessRunner runner, TimeProvider time)
        : base(name, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _tools = new NativeTools(options, runner);
    }

    /// <inheritdoc/>
    protected override string MetadataXml => DrbdMetadata.Xml;

    /// <inheritdoc/>
    protected override async Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var resource = Parameter(request, "drbd_resource") ?? "";
        if (resource.Length == 0 || resource.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            return Result(OcfExitCode.NotConfigured, $"drbd_resource '{resource}' must be a DRBD resource name");
        }

        if (_tools.Find("drbdadm") is null)
        {
            return Result(OcfExitCode.NotInstalled, "drbdadm is not installed");
        }

        var call = new Call(this, request, resource, cancellationToken);
        try
        {
            return request.Action switch
            {
                AgentAction.Start => await StartAsync(call).ConfigureAwait(false),
                AgentAction.Stop => await StopAsync(call).ConfigureAwait(false),
                AgentAction.Monitor => await MonitorAsync(call).ConfigureAwait(false),
                AgentAction.Promote => await PromoteAsync(call).ConfigureAwait(false),
                AgentAction.Demote => await DemoteAsync(call).ConfigureAwait(false),
                AgentAction.ValidateAll => await ValidateAsync(call).ConfigureAwait(false),
                _ => Result(OcfExitCode.Unimplemented, $"{Name} has no {request.Action.ToOcfName()} action"),
            };
        }
        catch (DrbdStatusException e)
        {
            // Garbage from drbdsetup fails this action with the reason; it never escapes the agent.
            return Result(OcfExitCode.GenericError, $"cannot read the status of {resource}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result(OcfExitCode.GenericError, $"{request.Action.ToOcfName()} of {resource}: {e.Message}");
        }
    }

    private static async Task<AgentResult> StartAsync(Call call)
    {
        var state = await call.StateAsync().ConfigureAwait(false);
        if (!state.Up)
        {
            if (await call.DrbdadmAsync("up").ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            state = await call.StateAsync().ConfigureAwait(false);
            if (!state.Up)
            {
                return Report(OcfExitCode.GenericError, state, $"drbdadm up {call.Resource} succeeded but the resource is not up");
            }
        }

        StateFile.Delete(call.Marker);
        return Report(OcfExitCode.Success, state);
    }

    private async Task<AgentResult> StopAsync(Call call)
    {
        var state = await call.StateAsync().ConfigureAwait(false);
        if (state.Up && state.IsPrimary)
        {
            if (await call.DrbdadmAsync("secondary").ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            state = await call.StateAsync().ConfigureAwait(false);
            if (state.IsPrimary)
            {
                return Report(OcfExitCode.GenericError, state, "still Primary after drbdadm secondary (device in use?)");
            }
        }

        if (!state.Up || !string.Equals(Parameter(call.Request, "stop_action"), "down", StringComparison.OrdinalIgnoreCase))
        {
            // Stay up, connected and Secondary: the peer keeps a replica while this instance counts as stopped.
            if (state.Up)
            {
                await StateFile.WriteAsync(call.Marker, "stopped", call.Token).ConfigureAwait(false);
            }

            return Report(OcfExitCode.Success, state) with
            {
                Output = state.Up ? $"stopped; {call.Resource} stays up as Secondary and keeps replicating ({state})\n" : "",
            };
        }

        if (await call.DrbdadmAsync("down").ConfigureAwait(false) is { } downFailed)
        {
            return downFailed;
        }

        state = await call.StateAsync().ConfigureAwait(false);
        StateFile.Delete(call.Marker);
        return state.Up ? Report(OcfExitCode.GenericError, state, "still up after drbdadm down") : Report(OcfExitCode.Success, state);
    }

    private static async Task<AgentResult> MonitorAsync(Call call)
    {
        var state = await call.StateAsync().ConfigureAwait(false);
        if (!state.Up)
        {
            return Report(OcfExitCode.NotRunning, state);
        }

        if (state.IsPrimary)
        {
            return state.Disk is "Diskless" or "Failed" or "Detaching"
                ? Report(OcfExitCode.FailedPromoted, state, $"Primary without a usable local disk ({state.Disk})")
                : Report(OcfExitCode.RunningPromoted, state);
        }

        return File.Exists(call.Marker) ? Report(OcfExitCode.NotRunning, state) : Report(OcfExitCode.Success, state);
    }

    private static async Task<AgentResult> PromoteAsync(Call call)
    {
        var state = await call.StateAsync().ConfigureAwait(false);
        if (state.IsPrimary)
        {
            return Report(OcfExitCode.Success, state);
        }

        if (state.WhyNotPromotable() is { } refused)
        {
            return Report(OcfExitCode.GenericError, state, $"refusing to promote {call.Resource}: {refused}");
        }

        if (await call.DrbdadmAsync("primary").ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        state = await call.StateAsync().ConfigureAwait(false);
        return state.IsPrimary
            ? Report(OcfExitCode.Success, state)
            : Report(OcfExitCode.GenericError, state, "not Primary after drbdadm primary");
    }

    private static async Task<AgentResult> DemoteAsync(Call call)
    {
        var state = await call.StateAsync().ConfigureAwait(false);
        if (!state.Up)
        {
            return Report(OcfExitCode.NotRunning, state, $"{call.Resource} is not up");
        }

        if (state.IsPrimary && await call.DrbdadmAsync("secondary").ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        state = await call.StateAsync().ConfigureAwait(false);
        return state.IsPrimary
            ? Report(OcfExitCode.GenericError, state, "still Primary after drbdadm secondary (device in use?)")
            : Report(OcfExitCode.Success, state);
    }

    private static async Task<AgentResult> ValidateAsync(Call call)
    {
        var minor = await call.MinorAsync().ConfigureAwait(false);
        return minor < 0
            ? Result(OcfExitCode.NotConfigured, $"DRBD resource {call.Resource} is not defined in the DRBD configuration")
            : Result(OcfExitCode.Success);
    }

    /// <summary>A result carrying the DRBD state and promotion score for the resource manager and status.</summary>
    private static AgentResult Report(OcfExitCode code, DrbdState state, string? reason = null) =>
        Result(code, reason) with
        {
            Extras = new Dictionary<string, string>
            {
                [AgentResultExtras.PromotionScore] = state.PromotionScore(),
                ["drbd-role"] = state.Role,
                ["drbd-disk"] = state.Disk,
                ["drbd-connection"] = state.Connection,
                ["drbd-peer-role"] = state.PeerRole,
                ["drbd-peer-disk"] = state.PeerDisk,
            },
        };

    /// <summary>One action on one resource: runs the DRBD tools and reads the status.</summary>
    private sealed class Call(DrbdAgent agent, AgentRequest request, string resource, CancellationToken token)
    {
        public AgentRequest Request => request;

        public string Resource => resource;

        public CancellationToken Token => token;

        /// <summary>Exists while the instance is stopped but DRBD is kept up.</summary>
        public string Marker => Path.Combine(agent._options.StateDirectory, $"drbd-{request.ResourceInstance}.stopped");

        /// <summary>Runs <c>drbdadm [-c conf] VERB RES</c>; null on success, else the failed result.</summary>
        public async Task<AgentResult?> DrbdadmAsync(string verb)
        {
            var outcome = await agent._tools.RunAsync("drbdadm", Arguments(verb), request.Timeout, token).ConfigureAwait(false);
            if (outcome.Completion == ProcessCompletion.Exited && outcome.ExitStatus == 0)
            {
                return null;
            }

            var why = outcome.Completion == ProcessCompletion.Exited ? $"exit status {outcome.ExitStatus}" : outcome.Error;
            return Result(OcfExitCode.GenericError, $"drbdadm {verb} {resource} failed ({why}): {outcome.Output.Trim()}") with { Output = outcome.Output };
        }

        public async Task<DrbdState> StateAsync()
        {
            var status = await agent._tools.RunAsync("drbdsetup", ["status", resource, "--json"], request.Timeout, token).ConfigureAwait(false);
            if (status.Completion == ProcessCompletion.Exited && status.ExitStatus == 0)
            {
                return ParseOrThrow(() => DrbdStatusParser.ParseJson(status.StandardOutput ?? "", resource));
            }

            if (status.Output.Contains("No such resource", StringComparison.OrdinalIgnoreCase)
                || status.Output.Contains("not defined", StringComparison.OrdinalIgnoreCase))
            {
                return DrbdState.Down;
            }

            // DRBD 8.4 has no JSON status: read /proc/drbd for the resource's minor.
            var minor = await MinorAsync().ConfigureAwait(false);
            if (minor < 0 || !File.Exists(agent._options.DrbdProcFile))
            {
                return DrbdState.Down;
            }

            var text = await File.ReadAllTextAsync(agent._options.DrbdProcFile, token).ConfigureAwait(false);
            return ParseOrThrow(() => DrbdStatusParser.ParseProcDrbd(text, minor));
        }

        /// <summary>The device minor from <c>drbdadm sh-minor</c>, or -1 when the resource is not defined.</summary>
        public async Task<int> MinorAsync()
        {
            var outcome = await agent._tools.RunAsync("drbdadm", Arguments("sh-minor"), request.Timeout, token).ConfigureAwait(false);
            return outcome.ExitStatus == 0 && int.TryParse((outcome.StandardOutput ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
                ? minor
                : -1;
        }

        private string[] Arguments(string verb)
        {
            var config = agent.Parameter(request, "drbdconf");
            return string.IsNullOrEmpty(config) ? [verb, resource] : ["-c", config, verb, resource];
        }

        private static DrbdState ParseOrThrow(Func<DrbdState> parse)
        {
            try
            {
                return parse();
            }
            catch (FormatException e)
            {
                throw new DrbdStatusException(e.Message, e);
            }
        }
    }
}
