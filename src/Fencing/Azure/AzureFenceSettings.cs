using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// The device parameters of the Azure agent, read and checked before any call. The names are
/// fence_azure_arm's (<c>subscriptionId</c>, <c>resourceGroup</c>, <c>tenantId</c>, <c>username</c>,
/// <c>password</c>, <c>msi</c>, <c>cloud</c>, <c>metadata_endpoint</c>, <c>power_timeout</c>,
/// <c>stonith_status_sleep</c>), so an existing device works unchanged, plus ClusterD's own: secrets from
/// files (<c>password_file</c>, <c>certificate_file</c>), explicit endpoints (<c>arm_endpoint</c>,
/// <c>login_endpoint</c>, <c>identity_endpoint</c>, <c>imds_endpoint</c>, <c>blob_endpoint</c>) and a
/// CA bundle (<c>ca_bundle</c>). Pure.
/// </summary>
public sealed record AzureFenceSettings
{
    /// <summary>fence_azure_arm's <c>power_timeout</c> default as Microsoft's guides set it.</summary>
    public static readonly TimeSpan DefaultPowerTimeout = TimeSpan.FromSeconds(240);

    /// <summary>fence-agents' <c>stonith_status_sleep</c>: one status read per second while waiting.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Shortest accepted poll interval: ARM's read budget refills 25 requests per second per principal.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly string[] Ignored =
    [
        "nodename", "hostlist", "port_as_ip", "retry_on", "power_wait", "delay", "login_timeout", "shell_timeout", "verbose", "debug",
        "separator", "plug", "port",
    ];

    /// <summary>The cloud named by <c>cloud=</c> (public when not set); null for Azure Stack until its endpoints are read.</summary>
    public AzureCloud? Cloud { get; init; } = AzureCloud.Public;

    /// <summary><c>cloud=stack</c>: the Azure Stack Hub Resource Manager whose <c>/metadata/endpoints</c> says the rest.</summary>
    public Uri? StackMetadataEndpoint { get; init; }

    /// <summary><c>arm_endpoint</c>: Resource Manager's base address instead of the cloud's.</summary>
    public Uri? ResourceManager { get; init; }

    /// <summary><c>login_endpoint</c>: the identity authority host instead of the cloud's (service principals).</summary>
    public Uri? Login { get; init; }

    /// <summary><c>identity_endpoint</c>: where managed identity tokens are asked for instead of the instance metadata service.</summary>
    public Uri? Identity { get; init; }

    /// <summary><c>imds_endpoint</c>: the instance metadata service (subscription and resource group) instead of 169.254.169.254.</summary>
    public Uri? InstanceMetadata { get; init; }

    /// <summary><c>blob_endpoint</c>: the blob service (read and checked; fencing itself does not use it).</summary>
    public Uri? Blob { get; init; }

    /// <summary><c>ca_bundle</c>: a PEM file of the only certificate authorities trusted for every endpoint.</summary>
    public string? CaBundle { get; init; }

    /// <summary><c>subscriptionId</c>; null: from the instance metadata.</summary>
    public string? Subscription { get; init; }

    /// <summary><c>resourceGroup</c>; null: from the instance metadata.</summary>
    public string? ResourceGroup { get; init; }

    /// <summary>How the token is got.</summary>
    public AzureIdentityKind IdentityKind { get; init; } = AzureIdentityKind.ManagedIdentity;

    /// <summary><c>tenantId</c> (service principals).</summary>
    public string? Tenant { get; init; }

    /// <summary><c>username</c>: the service principal's application (client) id.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>password</c>: the client secret given inline, as fence_azure_arm takes it.</summary>
    public string? InlineSecret { get; init; }

    /// <summary><c>password_file</c> or <c>certificate_file</c>: the file holding the secret or certificate (0600, regular).</summary>
    public string? CredentialFile { get; init; }

    /// <summary><c>power_timeout</c>: the longest wait for the power state after a power call.</summary>
    public TimeSpan PowerTimeout { get; init; } = DefaultPowerTimeout;

    /// <summary><c>stonith_status_sleep</c>: the wait between two power state reads.</summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>
    /// Reads <paramref name="parameters"/>; false with <paramref name="error"/> naming the parameter when a
    /// value cannot be used. Unknown parameters are ignored, as fence-agents ignore them.
    /// </summary>
    public static bool TryRead(IReadOnlyDictionary<string, string> parameters, [NotNullWhen(true)] out AzureFenceSettings? settings, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        settings = null;
        var s = new AzureFenceSettings();
        string? Get(params string[] names)
        {
            foreach (var name in names)
            {
                if (parameters.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    return value.Trim();
                }
            }

            return null;
        }

        if (Get("network-fencing", "network_fencing") is { } network && IsTrue(network) != false)
        {
            error = "network-fencing is not supported by the built-in agent (it fences by powering the VM off)";
            return false;
        }

        if (Get("cloud") is { } cloudName)
        {
            if (string.Equals(cloudName, "stack", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryUri(Get("metadata_endpoint", "metadata-endpoint"), "metadata_endpoint", out var stack, out error))
                {
                    return false;
                }

                if (stack is null)
                {
                    error = "cloud=stack needs metadata_endpoint (the Azure Stack Hub Resource Manager address)";
                    return false;
                }

                s = s with { Cloud = null, StackMetadataEndpoint = stack };
            }
            else if (AzureCloud.Named(cloudName) is { } cloud)
            {
                s = s with { Cloud = cloud };
            }
            else
            {
                error = $"cloud '{Bounded(cloudName)}' is not public, china, usgov or stack";
                return false;
            }
        }

        if (!TryUri(Get("arm_endpoint"), "arm_endpoint", out var arm, out error)
            || !TryUri(Get("login_endpoint"), "login_endpoint", out var login, out error)
            || !TryUri(Get("identity_endpoint"), "identity_endpoint", out var identity, out error)
            || !TryUri(Get("imds_endpoint"), "imds_endpoint", out var imds, out error)
            || !TryUri(Get("blob_endpoint"), "blob_endpoint", out var blob, out error))
        {
            return false;
        }

        s = s with { ResourceManager = arm, Login = login, Identity = identity, InstanceMetadata = imds, Blob = blob, CaBundle = Get("ca_bundle") };
        if (s.CaBundle is { } bundle && !Path.IsPathFullyQualified(bundle))
        {
            error = $"ca_bundle '{Bounded(bundle)}' is not an absolute path";
            return false;
        }

        s = s with { Subscription = Get("subscriptionId", "subscription_id"), ResourceGroup = Get("resourceGroup", "resource_group") };
        if (s.Subscription is { } sub && !IsSafeName(sub) || s.ResourceGroup is { } rg && !IsSafeName(rg))
        {
            error = "subscriptionId and resourceGroup may hold letters, digits, '-', '_', '.' and '(' ')' only";
            return false;
        }

        var msi = Get("msi") is { } msiText ? IsTrue(msiText) : null;
        if (Get("msi") is { } badMsi && msi is null)
        {
            error = $"msi '{Bounded(badMsi)}' is not true or false";
            return false;
        }

        var clientId = Get("username", "login", "client_id");
        var secretFile = Get("password_file", "client_secret_file");
        var certificateFile = Get("certificate_file", "client_certificate_file");
        var inline = Get("password", "passwd");
        if (msi == true || (msi is null && clientId is null))
        {
            if (secretFile is not null || certificateFile is not null || inline is not null)
            {
                error = "a managed identity (msi) takes no password, password_file or certificate_file; set msi=false for a service principal";
                return false;
            }

            s = s with { IdentityKind = AzureIdentityKind.ManagedIdentity };
        }
        else
        {
            var tenant = Get("tenantId", "tenant_id");
            if (clientId is null || tenant is null)
            {
                error = "a service principal needs username (the application id) and tenantId";
                return false;
            }

            if (new[] { secretFile, certificateFile, inline }.Count(v => v is not null) != 1)
            {
                error = "a service principal needs exactly one of password_file, certificate_file or password";
                return false;
            }

            var file = secretFile ?? certificateFile;
            if (file is not null && !Path.IsPathFullyQualified(file))
            {
                error = $"'{Bounded(file)}' is not an absolute path";
                return false;
            }

            s = s with
            {
                IdentityKind = certificateFile is not null ? AzureIdentityKind.ClientCertificate : AzureIdentityKind.ClientSecret,
                Tenant = tenant,
                ClientId = clientId,
                InlineSecret = inline,
                CredentialFile = file,
            };
        }

        if (!TrySeconds(Get("power_timeout"), "power_timeout", TimeSpan.FromSeconds(1), out var powerTimeout, out error)
            || !TrySeconds(Get("stonith_status_sleep", "stonith-status-sleep"), "stonith_status_sleep", MinPollInterval, out var poll, out error))
        {
            return false;
        }

        settings = s with { PowerTimeout = powerTimeout ?? DefaultPowerTimeout, PollInterval = poll ?? DefaultPollInterval };
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a parameter this agent reads or knowingly ignores.</summary>
    public static bool IsKnown(string name) => Ignored.Contains(name) || name is "subscriptionId" or "subscription_id" or "resourceGroup"
        or "resource_group" or "tenantId" or "tenant_id" or "username" or "login" or "client_id" or "password" or "passwd" or "password_file"
        or "client_secret_file" or "certificate_file" or "client_certificate_file" or "msi" or "cloud" or "metadata_endpoint" or "metadata-endpoint"
        or "arm_endpoint" or "login_endpoint" or "identity_endpoint" or "imds_endpoint" or "blob_endpoint" or "ca_bundle" or "power_timeout"
        or "stonith_status_sleep" or "stonith-status-sleep" or "network-fencing" or "network_fencing";

    /// <summary>ARM names of resource groups and VMs: letters, digits and <c>-_.()</c>, at most 90 characters.</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 90 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '(' or ')');

    private static bool? IsTrue(string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => null,
    };

    private static bool TryUri(string? text, string name, out Uri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        error = null;
        if (text is null)
        {
            return true;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment) || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            error = $"{name} '{Bounded(text)}' is not an http(s) address without query or credentials";
            return false;
        }

        uri = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
        return true;
    }

    private static bool TrySeconds(string? text, string name, TimeSpan min, out TimeSpan? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (text is null)
        {
            return true;
        }

        var trimmed = text.EndsWith('s') ? text[..^1] : text;
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || double.IsNaN(seconds) || seconds < min.TotalSeconds || seconds > 86_400)
        {
            error = $"{name} '{Bounded(text)}' is not a number of seconds from {min.TotalSeconds.ToString(CultureInfo.InvariantCulture)} to 86400";
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    internal static string Bounded(string text, int max = 80)
    {
        var cut = text.Length > max ? text[..max] + "..." : text;
        return string.Create(cut.Length, cut, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }
}
