using ClusterD.Agents.Processes;

namespace ClusterD.Fencing.Tests.TestSupport;

/// <summary>The real process runner, with a short grace so timeout tests stay quick.</summary>
internal static class Runners
{
    public static AgentProcessRunner Processes() => new(
        new AgentProcessRunnerOptions { ReapOrphans = true, TerminateGrace = TimeSpan.FromMilliseconds(300) },
        TimeProvider.System);
}
