namespace ClusterD.Fencing.Azure;

/// <summary>How the agent gets its Resource Manager token.</summary>
public enum AzureIdentityKind
{
    /// <summary>The VM's system-assigned managed identity, through the instance metadata service (the default).</summary>
    ManagedIdentity,

    /// <summary>A service principal with a client secret (<c>password_file</c>, or <c>password</c> as fence_azure_arm takes it).</summary>
    ClientSecret,

    /// <summary>A service principal with a certificate and its private key (<c>certificate_file</c>, PEM).</summary>
    ClientCertificate,
}
