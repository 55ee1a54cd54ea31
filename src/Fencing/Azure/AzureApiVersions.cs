namespace ClusterD.Fencing.Azure;

/// <summary>
/// The one api-version each call of the Azure agent sends, pinned here and asserted by the tests, so a
/// package update can never change what fencing asks ARM for (the Python agent took its compute
/// api-version from the installed SDK's latest profile and broke about twelve times as it drifted).
/// </summary>
/// <remarks>
/// Compute 2024-07-01 is a generally available version that has <c>powerOff?skipShutdown=</c>,
/// <c>start</c>, <c>instanceView</c> and the resource-group list. The instance metadata versions are
/// the oldest that return what is read (<c>compute.subscriptionId</c>, <c>compute.resourceGroupName</c>;
/// a token for a resource).
/// </remarks>
public static class AzureApiVersions
{
    /// <summary><c>POST .../virtualMachines/{vm}/powerOff?skipShutdown=true</c>.</summary>
    public const string PowerOff = "2024-07-01";

    /// <summary><c>POST .../virtualMachines/{vm}/start</c>.</summary>
    public const string Start = "2024-07-01";

    /// <summary><c>GET .../virtualMachines/{vm}/instanceView</c> (the power state).</summary>
    public const string InstanceView = "2024-07-01";

    /// <summary><c>GET .../resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines</c>.</summary>
    public const string List = "2024-07-01";

    /// <summary><c>GET .../providers/Microsoft.Authorization/permissions</c> (what the identity may do on a VM).</summary>
    public const string Permissions = "2022-04-01";

    /// <summary>Instance metadata <c>GET /metadata/instance</c>.</summary>
    public const string InstanceMetadata = "2021-02-01";

    /// <summary>
    /// <c>x-ms-version</c> of the Blob service calls of the cloud witness (<c>PUT {blob}?comp=lease</c>, the blob's
    /// creation): a generally available version with fixed 15-60 s leases and OAuth tokens.
    /// </summary>
    public const string BlobService = "2021-12-02";

    /// <summary>Instance metadata <c>/metadata/scheduledevents</c>: the version azure-events-az and Microsoft's samples use.</summary>
    public const string ScheduledEvents = "2020-07-01";

    /// <summary>Azure Stack Hub's <c>GET {arm}/metadata/endpoints</c> (login endpoint and token audience).</summary>
    public const string StackEndpoints = "2015-01-01";
}
