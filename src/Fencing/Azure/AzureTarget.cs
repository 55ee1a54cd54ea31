namespace ClusterD.Fencing.Azure;

/// <summary>Where the agent's VMs are: a subscription and a resource group (configured, or read from the instance metadata).</summary>
internal sealed record AzureTarget(string Subscription, string ResourceGroup)
{
    /// <summary>The resource group's compute path, relative to Resource Manager.</summary>
    public string VirtualMachines =>
        $"subscriptions/{Uri.EscapeDataString(Subscription)}/resourceGroups/{Uri.EscapeDataString(ResourceGroup)}/providers/Microsoft.Compute/virtualMachines";

    /// <summary>One VM's path.</summary>
    public string VirtualMachine(string vm) => $"{VirtualMachines}/{Uri.EscapeDataString(vm)}";

    public override string ToString() => $"resource group '{ResourceGroup}' of subscription {Subscription}";
}
