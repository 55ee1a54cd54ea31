namespace ClusterD.Membership.Configuration;

/// <summary>
/// The <c>quorum { witness { ... } }</c> section: the cloud witness that decides fence races (read and checked
/// by the fencing side, which knows what its keys mean; here only which keys exist and where they are).
/// </summary>
/// <param name="Line">The section's line.</param>
/// <param name="Values">Every known key given, with its value.</param>
/// <param name="Lines">The line of each key given.</param>
public sealed record WitnessSection(int Line, IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, int> Lines)
{
    /// <summary>The witness types: <c>azure_blob</c>, an Azure Blob lease.</summary>
    public const string AzureBlob = "azure_blob";

    /// <summary>The keys of an <c>azure_blob</c> witness (docs/configuration.md).</summary>
    public static readonly string[] AzureBlobKeys =
    [
        "type", "url", "account", "container", "blob", "endpoint", "cloud", "msi", "username", "tenantId", "password_file", "certificate_file",
        "identity_endpoint", "login_endpoint", "ca_bundle", "head_start", "lease_duration", "timeout",
    ];

    /// <summary>The line of <paramref name="key"/>, else the section's.</summary>
    public int LineOf(string key) => Lines.TryGetValue(key, out var line) ? line : Line;
}
