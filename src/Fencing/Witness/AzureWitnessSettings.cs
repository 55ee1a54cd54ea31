using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ClusterD.Fencing.Azure;

namespace ClusterD.Fencing.Witness;

/// <summary>
/// The <c>quorum { witness { type: azure_blob ... } }</c> settings, read and checked before any call: where the
/// blob is (<c>url</c>, or <c>account</c>, <c>container</c> and <c>blob</c> in the <c>cloud</c>'s blob
/// service, or under <c>endpoint</c>), the credentials with the Azure fence agent's own parameters and rules
/// (<see cref="AzureFenceSettings"/>: the managed identity by default, or a service principal whose secret or
/// certificate is in a 0600 file; <c>identity_endpoint</c>, <c>login_endpoint</c>, <c>ca_bundle</c>), and the
/// timings. Pure.
/// </summary>
public sealed record AzureWitnessSettings
{
    /// <summary>The blob name when none is given.</summary>
    public const string DefaultBlob = "clusterd-witness";

    /// <summary>The blob whose lease decides (<c>https://account.blob.core.windows.net/container/blob</c>).</summary>
    public required Uri BlobUrl { get; init; }

    /// <summary>The credentials and endpoints, as the Azure fence agent reads them.</summary>
    public required AzureFenceSettings Azure { get; init; }

    public required WitnessOptions Timings { get; init; }

    /// <summary>
    /// Reads <paramref name="parameters"/> (key to value); false with the key at fault and the problem. Keys
    /// outside <see cref="Keys"/> are not read (the configuration loader warns about them).
    /// </summary>
    public static bool TryRead(IReadOnlyDictionary<string, string> parameters, [NotNullWhen(true)] out AzureWitnessSettings? settings,
        [NotNullWhen(false)] out string? key, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        settings = null;
        key = null;
        string? Get(string name) => parameters.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        if (Get("type") is var type && type != "azure_blob")
        {
            (key, error) = ("type", type is null ? "is required (azure_blob)" : $"'{AzureFenceSettings.Bounded(type)}' is not supported (use azure_blob)");
            return false;
        }

        // The credentials are the fence agent's: the same names, defaults and file rules.
        var azureParameters = parameters.Where(p => p.Key is not ("type" or "url" or "account" or "container" or "blob" or "endpoint" or "head_start" or "lease_duration" or "timeout"))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (!AzureFenceSettings.TryRead(azureParameters, out var azure, out var azureError))
        {
            key = azureParameters.Keys.FirstOrDefault(k => azureError.StartsWith(k, StringComparison.Ordinal)) ?? "credentials";
            error = azureError;
            return false;
        }

        if (azure.Cloud is null)
        {
            (key, error) = ("cloud", "stack has no fixed blob service: give the blob's url or endpoint");
            if (Get("url") is null && Get("endpoint") is null)
            {
                return false;
            }
        }

        if (!TryBlobUrl(Get, azure.Cloud, out var url, out key, out error)
            || !TryMilliseconds(Get("head_start"), "head_start", 0, 10_000, out var headStart, out key, out error)
            || !TryMilliseconds(Get("timeout"), "timeout", 100, 60_000, out var timeout, out key, out error))
        {
            return false;
        }

        var duration = WitnessOptions.MinLeaseDuration;
        if (Get("lease_duration") is { } durationText)
        {
            var seconds = durationText.EndsWith('s') ? durationText[..^1] : durationText;
            if (!int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                || s < WitnessOptions.MinLeaseDuration.TotalSeconds || s > WitnessOptions.MaxLeaseDuration.TotalSeconds)
            {
                (key, error) = ("lease_duration", $"'{AzureFenceSettings.Bounded(durationText)}' is not a whole number of seconds from 15 to 60 (Azure's fixed leases)");
                return false;
            }

            duration = TimeSpan.FromSeconds(s);
        }

        var timings = new WitnessOptions { LeaseDuration = duration, RenewInterval = duration / 3 };
        timings = timings with
        {
            HeadStart = headStart ?? timings.HeadStart,
            RequestTimeout = timeout ?? timings.RequestTimeout,
        };
        if (timings.RequestTimeout >= timings.RenewInterval)
        {
            (key, error) = ("timeout", $"must be shorter than a third of the lease ({timings.RenewInterval.TotalMilliseconds:0} ms), so renewals can go wrong twice");
            return false;
        }

        settings = new AzureWitnessSettings { BlobUrl = url, Azure = azure, Timings = timings };
        return true;
    }

    private static bool TryBlobUrl(Func<string, string?> get, AzureCloud? cloud, [NotNullWhen(true)] out Uri? url,
        [NotNullWhen(false)] out string? key, [NotNullWhen(false)] out string? error)
    {
        url = null;
        key = null;
        error = null;
        if (get("url") is { } text)
        {
            if (get("account") is not null || get("container") is not null || get("blob") is not null || get("endpoint") is not null)
            {
                (key, error) = ("url", "names the blob whole: account, container, blob and endpoint are not given with it");
                return false;
            }

            if (!TryHttpUri(text, out url) || url.AbsolutePath.Trim('/').Split('/').Length < 2)
            {
                (key, error) = ("url", $"'{AzureFenceSettings.Bounded(text)}' is not an https address of a blob (https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB) without query");
                url = null;
                return false;
            }

            return true;
        }

        var container = get("container");
        if (container is null)
        {
            (key, error) = ("container", "is required (or give the blob's url)");
            return false;
        }

        var blob = get("blob") ?? DefaultBlob;
        if (!IsContainerName(container))
        {
            (key, error) = ("container", $"'{AzureFenceSettings.Bounded(container)}' is not a container name (3 to 63 lower-case letters, digits and single '-')");
            return false;
        }

        if (blob.Length > 1024 || blob.Any(c => char.IsControl(c) || c is '?' or '#' or '\\'))
        {
            (key, error) = ("blob", $"'{AzureFenceSettings.Bounded(blob)}' is not a blob name");
            return false;
        }

        Uri service;
        if (get("endpoint") is { } endpoint)
        {
            if (!TryHttpUri(endpoint, out var parsed))
            {
                (key, error) = ("endpoint", $"'{AzureFenceSettings.Bounded(endpoint)}' is not an http(s) address without query or credentials");
                return false;
            }

            service = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
        }
        else if (get("account") is { } account)
        {
            if (account.Length is < 3 or > 24 || !account.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
            {
                (key, error) = ("account", $"'{AzureFenceSettings.Bounded(account)}' is not a storage account name (3 to 24 lower-case letters and digits)");
                return false;
            }

            service = new Uri($"https://{account}.{cloud!.BlobSuffix}/");
        }
        else
        {
            (key, error) = ("account", "is required (or give the blob's url, or an endpoint)");
            return false;
        }

        url = new Uri(service, Uri.EscapeDataString(container) + "/" + string.Join('/', blob.Split('/').Select(Uri.EscapeDataString)));
        return true;
    }

    private static bool TryHttpUri(string text, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment) || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        uri = parsed;
        return true;
    }

    private static bool IsContainerName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);

    private static bool TryMilliseconds(string? text, string name, int min, int max, out TimeSpan? value, [NotNullWhen(false)] out string? key, [NotNullWhen(false)] out string? error)
    {
        value = null;
        key = null;
        error = null;
        if (text is null)
        {
            return true;
        }

        var digits = text.EndsWith("ms", StringComparison.Ordinal) ? text[..^2] : text;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms < min || ms > max)
        {
            (key, error) = (name, $"'{AzureFenceSettings.Bounded(text)}' is not a whole number of milliseconds from {min} to {max}");
            return false;
        }

        value = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
