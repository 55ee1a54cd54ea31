using System.Collections.Frozen;
using ClusterD.Agents.Metadata;
using ClusterD.Agents.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Fencing.Scripts;

/// <summary>
/// Runs one of the fence-agents programs (<c>fence_azure_arm</c>, <c>fence_ipmilan</c>, <c>fence_dummy</c>)
/// the way Pacemaker's fencer does: no arguments, the action and parameters as <c>name=value</c> lines on
/// stdin (<see cref="FenceInput"/>), success read from the exit status (<see cref="FenceExitCodes"/>). Runs go
/// through the agents' <see cref="AgentProcessRunner"/>: own process group, complete environment, bounded
/// output, and on timeout the whole group is terminated, then killed.
/// </summary>
/// <remarks>
/// The agent is looked up at every run, so installing or replacing it needs no restart. A name that is
/// not a plain <c>fence_*</c> name, a missing agent and a parameter the protocol cannot carry are failed
/// results, not exceptions: the configuration comes from outside.
/// </remarks>
public sealed class FenceScriptRunner : IFenceAgent
{
    private readonly AgentProcessRunner _processes;
    private readonly FenceScriptOptions _options;
    private readonly ILogger _logger;

    /// <summary>A runner for the agent called <paramref name="agent"/> (the type of <c>stonith:TYPE</c>).</summary>
    public FenceScriptRunner(string agent, AgentProcessRunner processes, FenceScriptOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(processes);
        Agent = agent;
        _processes = processes;
        _options = options ?? new FenceScriptOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The agent's name.</summary>
    public string Agent { get; }

    /// <summary>A factory for <see cref="Fencer"/>: one runner per agent type, all sharing the process runner and options.</summary>
    public static Func<string, IFenceAgent> Factory(AgentProcessRunner processes, FenceScriptOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(processes);
        return agent => new FenceScriptRunner(agent, processes, options, logger);
    }

    /// <inheritdoc />
    public async Task<FenceResult> RunAsync(FenceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_options.Locator.TryFind(Agent, out var path, out var problem))
        {
            return FenceResult.NotRun(problem);
        }

        if (!FenceInput.TryBuild(request, out var input, out problem))
        {
            return FenceResult.NotRun(problem);
        }

        var outcome = await _processes.RunAsync(Spec(path, input, request.Timeout, _options.OutputLimit), ct).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        var result = FenceOutcomes.From(request.Action, outcome);
        FencingLog.AgentFinished(_logger, Agent, FenceActionNames.ToAgentName(request.Action), request.Plug ?? "", result.ExitCode,
            result.Succeeded, (long)outcome.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// The agent's <c>metadata</c>: the XML (stdout only, so warnings on stderr cannot corrupt it) and the
    /// parameters and actions read from it.
    /// </summary>
    /// <exception cref="FenceAgentException">Refused name, missing agent, failure, timeout, oversized or non-XML output.</exception>
    public async Task<FenceAgentMetadata> MetadataAsync(CancellationToken ct)
    {
        if (!_options.Locator.TryFind(Agent, out var path, out var problem))
        {
            throw new FenceAgentException(problem);
        }

        var request = new FenceRequest(FenceAction.Metadata, null, FrozenDictionary<string, string>.Empty, _options.MetadataTimeout);
        FenceInput.TryBuild(request, out var input, out _);
        var spec = Spec(path, input!, _options.MetadataTimeout, _options.MetadataOutputLimit) with { CaptureStandardOutput = true };
        var outcome = await _processes.RunAsync(spec, ct).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        var result = FenceOutcomes.From(FenceAction.Metadata, outcome);
        if (!result.Succeeded)
        {
            throw new FenceAgentException($"{Agent} metadata: {result.Reason}");
        }

        // The runner keeps head and tail of oversized output; a document with its middle cut out is not the agent's.
        if (outcome.OutputTruncated)
        {
            throw new FenceAgentException($"{Agent} metadata: longer than {_options.MetadataOutputLimit} bytes");
        }

        var xml = outcome.StandardOutput ?? "";
        if (!AgentMetadataParser.TryParse(xml, out var parsed, out var error))
        {
            throw new FenceAgentException($"{Agent} metadata: {error}");
        }

        foreach (var warning in parsed.Warnings)
        {
            FencingLog.MetadataWarning(_logger, Agent, warning);
        }

        return new FenceAgentMetadata(Agent, xml, parsed);
    }

    private ProcessSpec Spec(string path, string input, TimeSpan timeout, int outputLimit) => new(path)
    {
        StandardInput = input,
        Timeout = timeout,
        OutputLimit = outputLimit,
        Environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = _options.Path,
            ["LC_ALL"] = "C",
            ["LANG"] = "C",
        },
    };
}
