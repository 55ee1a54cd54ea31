using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// The Azure.Identity credential the settings ask for, over the run's <see cref="HttpClient"/> (so the CA
/// bundle and the identity endpoint apply to tokens too): the VM's system-assigned managed identity by
/// default (user-assigned identities are not used for fencing, as Microsoft's guides advise), or a
/// service principal whose secret or certificate is read from a private file.
/// </summary>
internal static class AzureCredentials
{
    /// <summary>A short description of the identity for messages (never the secret).</summary>
    public static string Describe(AzureFenceSettings settings) => settings.IdentityKind switch
    {
        AzureIdentityKind.ManagedIdentity => "the VM's managed identity",
        AzureIdentityKind.ClientCertificate => $"service principal {settings.ClientId} (certificate {settings.CredentialFile})",
        _ => settings.CredentialFile is { } file
            ? $"service principal {settings.ClientId} (secret from {file})"
            : $"service principal {settings.ClientId} (secret in the device parameters)",
    };

    /// <exception cref="AzureCredentialException">The secret or certificate file is refused or unusable.</exception>
    public static TokenCredential Create(AzureFenceSettings settings, Uri login, bool customLogin, HttpClient http, AzureAgentOptions options)
    {
        switch (settings.IdentityKind)
        {
            case AzureIdentityKind.ManagedIdentity:
                var managed = new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned);
                Configure(managed, http, options);
                return new ManagedIdentityCredential(managed);

            case AzureIdentityKind.ClientSecret:
                var secret = settings.InlineSecret ?? AzureCredentialFile.ReadText(settings.CredentialFile!, "password_file");
                if (secret.Length == 0)
                {
                    throw new AzureCredentialException($"password_file {settings.CredentialFile} is empty");
                }

                var secretOptions = new ClientSecretCredentialOptions { AuthorityHost = login, DisableInstanceDiscovery = customLogin };
                Configure(secretOptions, http, options);
                return new ClientSecretCredential(settings.Tenant, settings.ClientId, secret, secretOptions);

            default:
                var pem = AzureCredentialFile.ReadText(settings.CredentialFile!, "certificate_file");
                X509Certificate2 certificate;
                try
                {
                    certificate = X509Certificate2.CreateFromPem(pem, pem);
                }
                catch (CryptographicException e)
                {
                    throw new AzureCredentialException($"certificate_file {settings.CredentialFile}: not a PEM certificate with its private key ({e.Message})");
                }

                var certificateOptions = new ClientCertificateCredentialOptions { AuthorityHost = login, DisableInstanceDiscovery = customLogin };
                Configure(certificateOptions, http, options);
                return new ClientCertificateCredential(settings.Tenant, settings.ClientId, certificate, certificateOptions);
        }
    }

    private static void Configure(TokenCredentialOptions target, HttpClient http, AzureAgentOptions options)
    {
        target.Transport = new HttpClientTransport(http);
        target.Retry.MaxRetries = options.MaxRetries;
        target.Retry.Delay = options.RetryDelay;
        target.Retry.MaxDelay = options.MaxRetryDelay;
        target.Retry.NetworkTimeout = options.NetworkTimeout;
        target.Diagnostics.IsDistributedTracingEnabled = false;
        target.Diagnostics.IsLoggingEnabled = false;
    }
}
