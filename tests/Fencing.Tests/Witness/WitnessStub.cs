using ClusterD.AzureArmStub;
using ClusterD.Fencing.Witness;

namespace ClusterD.Fencing.Tests.Witness;

/// <summary>Witness settings and clients pointed at an <see cref="ArmStub"/>'s Blob service (managed identity through its identity endpoint, its CA bundle).</summary>
internal static class WitnessStub
{
    public const string Container = "witness";

    /// <summary>The blob's path on the stub.</summary>
    public const string BlobPath = "/" + ArmStub.StorageAccount + "/" + Container + "/" + AzureWitnessSettings.DefaultBlob;

    public static Dictionary<string, string> Parameters(ArmStub stub, string timeoutMs = "4000") => new(StringComparer.Ordinal)
    {
        ["type"] = "azure_blob",
        ["endpoint"] = stub.BlobEndpoint.ToString(),
        ["container"] = Container,
        ["identity_endpoint"] = stub.BaseAddress.ToString(),
        ["ca_bundle"] = stub.CaBundle,
        ["timeout"] = timeoutMs,
    };

    public static AzureBlobWitness Client(ArmStub stub, Guid leaseId, string timeoutMs = "4000")
    {
        Assert.True(AzureWitnessSettings.TryRead(Parameters(stub, timeoutMs), out var settings, out var key, out var error), $"{key}: {error}");
        return new AzureBlobWitness(settings, leaseId, TimeProvider.System);
    }
}
