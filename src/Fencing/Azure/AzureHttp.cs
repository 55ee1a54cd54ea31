using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ClusterD.Platform.Files;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// The one <see cref="HttpClient"/> of an agent run, under every call (Resource Manager, tokens,
/// instance metadata): with <c>ca_bundle</c> only the bundle's authorities are trusted (the host name
/// is still checked), and with <c>identity_endpoint</c> (else <c>imds_endpoint</c>) the managed identity
/// token requests that Azure.Identity addresses to 169.254.169.254 go there instead.
/// </summary>
internal static class AzureHttp
{
    /// <summary>Largest CA bundle read (Debian's whole system bundle is about 220 KiB).</summary>
    public const int MaxBundleBytes = 1024 * 1024;

    /// <summary>Builds the client; the caller disposes it.</summary>
    /// <exception cref="AzureCredentialException">The CA bundle cannot be read or holds no certificate.</exception>
    public static HttpClient Create(AzureFenceSettings settings) => Create(settings.CaBundle, settings.Identity ?? settings.InstanceMetadata);

    /// <summary>Builds a client trusting only <paramref name="caBundle"/>'s authorities when given, sending managed identity token requests to <paramref name="identity"/>.</summary>
    /// <exception cref="AzureCredentialException">The CA bundle cannot be read or holds no certificate.</exception>
    public static HttpClient Create(string? caBundle, Uri? identity)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            MaxResponseHeadersLength = 64,
        };
        if (caBundle is { } bundle)
        {
            var roots = LoadBundle(bundle);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(roots, certificate, errors),
            };
        }

        // The token endpoint is the instance metadata service's unless said otherwise.
        HttpMessageHandler top = handler;
        if (identity is not null)
        {
            top = new IdentityRedirect(identity) { InnerHandler = handler };
        }

        return new HttpClient(top, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The certificates of a PEM bundle file.</summary>
    internal static X509Certificate2Collection LoadBundle(string path)
    {
        byte[] bytes;
        try
        {
            bytes = RegularFile.Read(path, MaxBundleBytes);
        }
        catch (FileReadException e)
        {
            throw new AzureCredentialException($"ca_bundle {path} {e.Message}");
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(Encoding.ASCII.GetString(bytes));
        }
        catch (CryptographicException e)
        {
            throw new AzureCredentialException($"ca_bundle {path}: not a PEM certificate bundle ({e.Message})");
        }

        return roots.Count > 0 ? roots : throw new AzureCredentialException($"ca_bundle {path} holds no PEM certificate");
    }

    private static bool TrustedBy(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        // The bundle replaces the system's roots, never the name check.
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>Sends Azure.Identity's instance metadata token requests to the configured identity endpoint.</summary>
    private sealed class IdentityRedirect(Uri identity) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && uri.Host == AzureCloud.DefaultInstanceMetadata.Host
                && uri.AbsolutePath.StartsWith("/metadata/identity/", StringComparison.Ordinal))
            {
                request.RequestUri = new Uri(identity, uri.PathAndQuery.TrimStart('/'));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
