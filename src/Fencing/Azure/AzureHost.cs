using System.Text;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// Whether this machine is an Azure VM, as cloud-init tells (DataSourceAzure): Azure's hypervisor sets the SMBIOS
/// chassis asset tag to <c>7783-7084-3265-9085-8269-3286-77</c>. Read from sysfs, bounded; no network.
/// </summary>
public static class AzureHost
{
    public const string ChassisAssetTag = "7783-7084-3265-9085-8269-3286-77";

    private const string AssetTagPath = "/sys/class/dmi/id/chassis_asset_tag";

    /// <summary>True on an Azure VM; false elsewhere or when the tag cannot be read.</summary>
    public static bool IsAzureVm() => ReadTag(AssetTagPath) == ChassisAssetTag;

    internal static string? ReadTag(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            var buffer = new byte[128];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.ASCII.GetString(buffer, 0, read).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
