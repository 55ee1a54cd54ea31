using ClusterD.Agents.Processes;
using ClusterD.Fencing;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Scripts;

namespace ClusterD.Cli.Commands;

/// <summary>
/// Fence agents run by <c>clusterctl</c> itself, as the daemon's fencer would run them: built in for
/// <c>fence_azure_arm</c> and <c>external/azure</c>, else the <c>fence_*</c> program from <c>/usr/sbin</c>.
/// Agents need real time, so these use the system clock.
/// </summary>
internal static class LocalFenceAgents
{
    public const string StonithPrefix = "stonith:";

    /// <summary>The agent for <paramref name="type"/> (the <c>TYPE</c> of <c>stonith:TYPE</c>).</summary>
    public static IFenceAgent Create(string type)
    {
        var time = TimeProvider.System;
        var azure = new AzureArmFenceAgent(time);
        var processes = new AgentProcessRunner(new AgentProcessRunnerOptions { ReapOrphans = true }, time);
        return NativeFenceAgents.Factory(FenceScriptRunner.Factory(processes), azure)(type);
    }

    /// <summary>Whether <paramref name="type"/> names a fence agent this command can run.</summary>
    public static bool IsRunnable(string type) => NativeFenceAgents.IsNative(type) || FenceAgentLocator.IsValidName(type);
}
