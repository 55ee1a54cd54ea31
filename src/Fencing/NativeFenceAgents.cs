using ClusterD.Fencing.Azure;

namespace ClusterD.Fencing;

/// <summary>
/// The agent factory of a <see cref="Fencer"/>: the agents built into ClusterD by type, every other type
/// through the <c>fence_*</c> script runner. <c>fence_azure_arm</c> is built in, so a device
/// <c>primitive X stonith:fence_azure_arm params ...</c> (or the seed's <c>stonith:external/azure</c>,
/// which <see cref="Devices.FenceDevices"/> maps onto it) never needs the Python agent.
/// </summary>
public static class NativeFenceAgents
{
    /// <summary>Whether <paramref name="agentType"/> runs built in.</summary>
    public static bool IsNative(string agentType) => agentType is AzureArmFenceAgent.AgentType or AzureArmFenceAgent.ExternalAzureType;

    /// <summary>The factory: <paramref name="azure"/> for the Azure types, <paramref name="scripts"/> for the rest.</summary>
    public static Func<string, IFenceAgent> Factory(Func<string, IFenceAgent> scripts, AzureArmFenceAgent azure)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        ArgumentNullException.ThrowIfNull(azure);
        return agentType => IsNative(agentType) ? azure : scripts(agentType);
    }
}
