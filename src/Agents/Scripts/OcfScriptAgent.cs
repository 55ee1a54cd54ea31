using ClusterD.Agents.Metadata;
using ClusterD.Agents.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Agents.Scripts;

/// <summary>
/// An OCF script, <c>$OCF_ROOT/resource.d/PROVIDER/TYPE ACTION</c>, run through
/// <see cref="AgentProcessRunner"/> with the environment from <see cref="OcfEnvironment"/>.
/// </summary>
/// <remarks>
/// A missing or non-executable script is <see cref="OcfExitCode.NotInstalled"/> without running
/// anything. Before a start, the parameters are checked against the agent's meta-data (read once
/// per agent and kept): a missing required parameter is <see cref="OcfExitCode.NotConfigured"/>
/// without running the start; unknown or ill-typed parameters become warnings on the result.
/// Unreadable meta-data only adds a warning.
/// </remarks>
public sealed class OcfScriptAgent : IResourceAgent
{
    private readonly ScriptAgentOptions _options;
    private readonly AgentProcessRunner _runner;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<(AgentMetadata? Metadata, string? Error)>? _metadata;

    public OcfScriptAgent(AgentName name, ScriptAgentOptions options, AgentProcessRunner runner, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        if (name.Class != AgentClass.Ocf)
        {
            throw new ArgumentException($"'{name}' is not an OCF agent", nameof(name));
        }

        Name = name;
        _options = options;
        _runner = runner;
        _logger = logger ?? NullLogger.Instance;
        ScriptPath = Path.Combine(options.OcfRoot, "resource.d", name.Provider!, name.Type);
    }

    /// <inheritdoc/>
    public AgentName Name { get; }

    /// <summary>The script this agent runs.</summary>
    public string ScriptPath { get; }

    /// <inheritdoc/>
    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (!ScriptResults.IsExecutableFile(ScriptPath))
        {
            return AgentResult.NotRun(OcfExitCode.NotInstalled, $"{Name} is not installed: no executable {ScriptPath}");
        }

        var warnings = new List<string>();
        if (request.Action == AgentAction.Start)
        {
            var (metadata, error) = await LoadMetadataAsync(request, cancellationToken).ConfigureAwait(false);
            if (metadata is null)
            {
                warnings.Add($"parameters not checked: {error}");
            }
            else
            {
                var issues = ParameterValidator.Validate(metadata, request.Parameters);
                if (issues.Where(i => i.IsError).Select(i => i.Message).ToList() is { Count: > 0 } errors)
                {
                    return AgentResult.NotRun(OcfExitCode.NotConfigured, string.Join("; ", errors))
                        with { Warnings = [.. issues.Where(i => !i.IsError).Select(i => i.Message)] };
                }

                warnings.AddRange(issues.Select(i => i.Message));
            }
        }

        var result = await RunAsync(request, cancellationToken).ConfigureAwait(false);
        AgentsLog.ActionFinished(_logger, Name.Key, request.Action.ToOcfName(), request.ResourceInstance,
            $"{result.Name} ({result.Status})", (long)result.Duration.TotalMilliseconds);
        return warnings.Count == 0 ? result : result with { Warnings = [.. warnings, .. result.Warnings] };
    }

    private async Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        EnsureResourceTempDirectory();
        var spec = new ProcessSpec(ScriptPath)
        {
            Arguments = [request.Action.ToOcfName()],
            Environment = OcfEnvironment.Build(Name, request, _options),
            Timeout = request.Timeout,
            OutputLimit = request.Action == AgentAction.MetaData ? _options.MetaDataOutputLimit : _options.OutputLimit,
            CaptureStandardOutput = request.Action == AgentAction.MetaData,
        };
        var outcome = await _runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        var result = ScriptResults.FromOutcome(outcome, OcfExitCodes.FromOcfStatus);

        // Meta-data is the XML on stdout, as Pacemaker reads it; what the agent said on stderr
        // (a missing helper binary, a deprecation notice) becomes a warning.
        if (request.Action == AgentAction.MetaData && outcome.StandardOutput is { } xml)
        {
            var stderr = outcome.Output.Contains(xml, StringComparison.Ordinal)
                ? outcome.Output.Replace(xml, "", StringComparison.Ordinal).Trim()
                : "";
            stderr = stderr.Length > 300 ? stderr[..300] + " ..." : stderr;
            result = result with
            {
                Output = xml,
                Warnings = stderr.Length == 0 ? result.Warnings : [.. result.Warnings, $"meta-data stderr: {stderr}"],
            };
        }

        return result;
    }

    /// <summary>The meta-data, read by running the agent once; a failure is kept too (agents do not change while we run).</summary>
    private Task<(AgentMetadata? Metadata, string? Error)> LoadMetadataAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _metadata ??= LoadCoreAsync(request with { Action = AgentAction.MetaData, Parameters = request.Parameters }, cancellationToken);
        }
    }

    private async Task<(AgentMetadata?, string?)> LoadCoreAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var result = await RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            lock (_gate)
            {
                _metadata = null; // a timeout or cancellation is not the agent's final word
            }

            return (null, $"meta-data returned {result.Name}");
        }

        if (!AgentMetadataParser.TryParse(result.Output, out var metadata, out var error))
        {
            return (null, error);
        }

        foreach (var warning in metadata.Warnings)
        {
            AgentsLog.MetadataWarning(_logger, Name.Key, warning);
        }

        return (metadata, null);
    }

    private void EnsureResourceTempDirectory()
    {
        try
        {
            Directory.CreateDirectory(_options.ResourceTempDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The agent reports its own error if it needs the directory.
        }
    }
}
