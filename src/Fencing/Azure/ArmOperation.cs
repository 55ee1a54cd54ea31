namespace ClusterD.Fencing.Azure;

/// <summary>One kind of Resource Manager call of the agent: its words for messages, its api-version and the permission it needs.</summary>
/// <param name="Name">What the call does, for messages (<c>powerOff</c>).</param>
/// <param name="ApiVersion">Its pinned api-version (<see cref="AzureApiVersions"/>).</param>
/// <param name="Permission">The action of the minimal role that allows it (<see cref="AzurePermissions"/>).</param>
internal sealed record ArmOperation(string Name, string ApiVersion, string Permission)
{
    public static readonly ArmOperation InstanceView = new("read the instance view of", AzureApiVersions.InstanceView, AzurePermissions.VirtualMachineRead);

    public static readonly ArmOperation PowerOff = new("power off", AzureApiVersions.PowerOff, AzurePermissions.PowerOff);

    public static readonly ArmOperation Start = new("start", AzureApiVersions.Start, AzurePermissions.Start);

    public static readonly ArmOperation List = new("list the VMs of", AzureApiVersions.List, AzurePermissions.VirtualMachineRead);

    public static readonly ArmOperation Permissions = new("read the permissions on", AzureApiVersions.Permissions, "Microsoft.Authorization/permissions/read");
}
