using ClusterD.Agents.Processes;
using ClusterD.Platform.Files;

namespace ClusterD.Agents.Scripts;

/// <summary>
/// An LSB init script, <c>/etc/init.d/NAME start|stop|status</c>: monitor runs <c>status</c>, and
/// its codes are mapped by <see cref="LsbExitCodes"/>. Promote, demote and notify are
/// <see cref="OcfExitCode.Unimplemented"/>; validate-all succeeds when the script exists (an init
/// script takes no parameters); meta-data is synthesised from the script's LSB header.
/// </summary>
public sealed class LsbScriptAgent : IResourceAgent
{
    /// <summary>Largest script read for its LSB header (init scripts are a few KiB).</summary>
    private const int MaxScriptBytes = 1 << 20;

    private readonly ScriptAgentOptions _options;
    private readonly AgentProcessRunner _runner;

    public LsbScriptAgent(AgentName name, ScriptAgentOptions options, AgentProcessRunner runner)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        if (name.Class != AgentClass.Lsb)
        {
            throw new ArgumentException($"'{name}' is not an LSB agent", nameof(name));
        }

        Name = name;
        _options = options;
        _runner = runner;
        ScriptPath = Path.Combine(options.InitDirectory, name.Type);
    }

    /// <inheritdoc/>
    public AgentName Name { get; }

    /// <summary>The init script.</summary>
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

        var argument = request.Action switch
        {
            AgentAction.Start => "start",
            AgentAction.Stop => "stop",
            AgentAction.Monitor => "status",
            _ => null,
        };
        if (argument is null)
        {
            return request.Action switch
            {
                AgentAction.ValidateAll => AgentResult.Completed(OcfExitCode.Success, TimeSpan.Zero),
                AgentAction.MetaData => AgentResult.Completed(OcfExitCode.Success, TimeSpan.Zero) with { Output = MetaData() },
                _ => AgentResult.Completed(OcfExitCode.Unimplemented, TimeSpan.Zero, $"LSB scripts have no {request.Action.ToOcfName()} action"),
            };
        }

        var spec = new ProcessSpec(ScriptPath)
        {
            Arguments = [argument],
            Environment = new Dictionary<string, string> { ["PATH"] = _options.Path, ["LC_ALL"] = "C" },
            Timeout = request.Timeout,
            OutputLimit = _options.OutputLimit,
        };
        var outcome = await _runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        return ScriptResults.FromOutcome(outcome, status => LsbExitCodes.ToOcf(request.Action, status));
    }

    /// <summary>Meta-data from the <c>### BEGIN INIT INFO</c> block's descriptions.</summary>
    private string MetaData()
    {
        string? shortDescription = null;
        string? description = null;
        try
        {
            // The header block is at the top; a script (or whatever the name leads to) is read bounded, never a FIFO or a device.
            var script = System.Text.Encoding.UTF8.GetString(RegularFile.Read(ScriptPath, MaxScriptBytes));
            foreach (var line in script.Split('\n').Take(200).Select(l => l.TrimEnd('\r')))
            {
                if (line.StartsWith("# Short-Description:", StringComparison.Ordinal))
                {
                    shortDescription = line["# Short-Description:".Length..].Trim();
                }
                else if (line.StartsWith("# Description:", StringComparison.Ordinal))
                {
                    description = line["# Description:".Length..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return SyntheticMetadata.Create(
            Name.Type,
            shortDescription ?? $"LSB init script {Name.Type}",
            description ?? shortDescription ?? $"{ScriptPath}, driven as an LSB init script",
            [("start", 15, null), ("stop", 15, null), ("status", 15, null), ("monitor", 15, 15), ("meta-data", 5, null)]);
    }
}
