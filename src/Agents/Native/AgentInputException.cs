namespace ClusterD.Agents.Native;

/// <summary>
/// A file a native agent was pointed at (a state file, a pid file) cannot be used: the action ends with
/// <see cref="ExitCode"/> and this message as its exit reason, like any other agent failure, never as an exception.
/// </summary>
internal sealed class AgentInputException(OcfExitCode exitCode, string message, Exception? inner = null) : IOException(message, inner)
{
    public OcfExitCode ExitCode { get; } = exitCode;
}
