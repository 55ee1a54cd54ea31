using System.Collections.Immutable;
using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Native;

/// <summary>
/// Runs the system programs a native agent needs (<c>mount</c>, <c>fsck</c>, <c>drbdadm</c>...) found
/// on <see cref="NativeAgentOptions.ToolPath"/>, through the process-group runner (bounded output,
/// timeout, kill of the whole group), with a small fixed environment.
/// </summary>
public sealed class NativeTools
{
    private readonly NativeAgentOptions _options;
    private readonly AgentProcessRunner _runner;
    private readonly ImmutableDictionary<string, string> _environment;

    public NativeTools(NativeAgentOptions options, AgentProcessRunner runner)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        _options = options;
        _runner = runner;
        _environment = ImmutableDictionary<string, string>.Empty
            .Add("PATH", options.ToolPath)
            .Add("LC_ALL", "C");
    }

    /// <summary>The full path of <paramref name="program"/> on the tool path, or null.</summary>
    public string? Find(string program)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }

        foreach (var directory in _options.ToolPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/>; a program that is not on the
    /// tool path is an outcome with <see cref="ProcessCompletion.StartFailed"/>, not an exception.
    /// </summary>
    public async Task<ProcessOutcome> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Find(program);
        if (path is null)
        {
            return new ProcessOutcome(ProcessCompletion.StartFailed, null, TimeSpan.Zero, "", false)
            {
                Error = $"{program} not found on {_options.ToolPath}",
            };
        }

        var spec = new ProcessSpec(path)
        {
            Arguments = [.. arguments],
            Environment = _environment,
            Timeout = timeout,
            CaptureStandardOutput = true,
        };
        return await _runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
    }
}
