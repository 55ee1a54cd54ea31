using System.Collections.Immutable;

namespace ClusterD.Agents.Processes;

/// <summary>
/// A program to run for an agent action: path, arguments, the complete environment (nothing is
/// inherited), working directory, timeout and output bound.
/// </summary>
/// <param name="FileName">An absolute path to the executable.</param>
public sealed record ProcessSpec(string FileName)
{
    /// <summary>Arguments after the program name.</summary>
    public ImmutableArray<string> Arguments { get; init; } = [];

    /// <summary>The whole environment of the process; the runner's own environment is not passed on.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Where the process starts; <c>/</c> by default, as agents must not depend on it.</summary>
    public string WorkingDirectory { get; init; } = "/";

    /// <summary>After this long the whole process group is terminated, then killed.</summary>
    public TimeSpan Timeout { get; init; } = AgentRequest.DefaultTimeout;

    /// <summary>Bytes of stdout and stderr kept (head and tail), see <see cref="AgentResult.DefaultOutputLimit"/>.</summary>
    public int OutputLimit { get; init; } = AgentResult.DefaultOutputLimit;

    /// <summary>
    /// Also keep stdout alone (<see cref="ProcessOutcome.StandardOutput"/>), for output that is
    /// data rather than a log, such as meta-data XML that stderr warnings must not corrupt.
    /// </summary>
    public bool CaptureStandardOutput { get; init; }

    /// <summary>
    /// Text written to the program's stdin (UTF-8), which is then closed; null closes stdin at once.
    /// Fence agents read their parameters this way (one <c>name=value</c> per line), so secrets
    /// such as passwords never appear in the process list or the environment.
    /// </summary>
    public string? StandardInput { get; init; }
}
