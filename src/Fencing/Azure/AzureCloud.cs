namespace ClusterD.Fencing.Azure;

/// <summary>
/// Where one Azure cloud answers: Resource Manager, the identity (login) authority, the instance metadata
/// service and the blob service suffix, with the token audience of Resource Manager. The named clouds
/// are the Python agent's <c>cloud=</c> values; Azure Stack Hub has no fixed endpoints and is read from
/// its metadata endpoint (<see cref="AzureStackEndpoints"/>).
/// </summary>
/// <param name="Name">public, china, usgov or stack.</param>
/// <param name="ResourceManager">The ARM base address.</param>
/// <param name="Login">The identity authority host (service principal tokens).</param>
/// <param name="InstanceMetadata">The instance metadata service (also the managed identity token endpoint on a VM).</param>
/// <param name="BlobSuffix">The storage blob host suffix (for the cloud witness; fencing does not use it).</param>
/// <param name="Audience">The resource a Resource Manager token is requested for.</param>
public sealed record AzureCloud(string Name, Uri ResourceManager, Uri Login, Uri InstanceMetadata, string BlobSuffix, string Audience)
{
    /// <summary>The instance metadata service's link-local address, the same in every cloud.</summary>
    public static readonly Uri DefaultInstanceMetadata = new("http://169.254.169.254/");

    /// <summary>Azure's public cloud.</summary>
    public static readonly AzureCloud Public = new(
        "public", new Uri("https://management.azure.com/"), new Uri("https://login.microsoftonline.com/"), DefaultInstanceMetadata,
        "blob.core.windows.net", "https://management.azure.com/");

    /// <summary>Azure operated by 21Vianet.</summary>
    public static readonly AzureCloud China = new(
        "china", new Uri("https://management.chinacloudapi.cn/"), new Uri("https://login.chinacloudapi.cn/"), DefaultInstanceMetadata,
        "blob.core.chinacloudapi.cn", "https://management.chinacloudapi.cn/");

    /// <summary>Azure Government (US).</summary>
    public static readonly AzureCloud UsGovernment = new(
        "usgov", new Uri("https://management.usgovcloudapi.net/"), new Uri("https://login.microsoftonline.us/"), DefaultInstanceMetadata,
        "blob.core.usgovcloudapi.net", "https://management.usgovcloudapi.net/");

    /// <summary>The scope of a Resource Manager token (<c>{audience}/.default</c>).</summary>
    public string Scope => Audience.TrimEnd('/') + "/.default";

    /// <summary>The named cloud, or null for <c>stack</c> and unknown names (case-insensitive).</summary>
    public static AzureCloud? Named(string name) => name.Trim().ToLowerInvariant() switch
    {
        "public" or "azure" or "azurecloud" or "azurepubliccloud" => Public,
        "china" or "azurechinacloud" => China,
        "usgov" or "azureusgovernment" or "azureusgovernmentcloud" => UsGovernment,
        _ => null,
    };
}
