using System.Text.Json;
using Azure;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// What one agent run talks through: the HTTP client, the credential, the Resource Manager client and
/// the subscription and resource group, resolved in that order (Azure Stack's endpoints and the
/// instance metadata are read only when the settings do not say). Disposing it closes the connections.
/// </summary>
internal sealed class AzureSession : IDisposable
{
    private readonly HttpClient _http;

    private AzureSession(HttpClient http, ArmClient arm, TokenCredential credential, string scope, AzureTarget target, string identity)
    {
        _http = http;
        Arm = arm;
        Credential = credential;
        Scope = scope;
        Target = target;
        Identity = identity;
    }

    public ArmClient Arm { get; }

    public TokenCredential Credential { get; }

    public string Scope { get; }

    public AzureTarget Target { get; }

    /// <summary>The identity in words (never the secret).</summary>
    public string Identity { get; }

    /// <summary>Where the subscription and resource group came from, for the transcript.</summary>
    public string? TargetSource { get; private init; }

    /// <exception cref="AzureCredentialException">A credential or CA bundle file is refused.</exception>
    /// <exception cref="AzureSessionException">Azure Stack's endpoints or the instance metadata could not be read.</exception>
    public static async Task<AzureSession> OpenAsync(AzureFenceSettings settings, AzureAgentOptions options, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var http = AzureHttp.Create(settings);
        try
        {
            var cloud = settings.Cloud;
            var plain = new ArmClient(http, null, "", settings.ResourceManager ?? settings.StackMetadataEndpoint ?? AzureCloud.Public.ResourceManager, options, time, logger);
            if (cloud is null)
            {
                cloud = await StackCloudAsync(plain, settings.StackMetadataEndpoint!, ct).ConfigureAwait(false);
            }

            var arm = settings.ResourceManager ?? cloud.ResourceManager;
            var login = settings.Login ?? cloud.Login;
            var credential = AzureCredentials.Create(settings, login, settings.Login is not null || settings.Cloud is null, http, options);
            var client = new ArmClient(http, credential, cloud.Scope, arm, options, time, logger);
            string source;
            AzureTarget target;
            if (settings.Subscription is { } sub && settings.ResourceGroup is { } rg)
            {
                target = new AzureTarget(sub, rg);
                source = "configured";
            }
            else
            {
                var imds = settings.InstanceMetadata ?? cloud.InstanceMetadata;
                var (imdsSub, imdsRg) = await InstanceMetadataAsync(plain, imds, ct).ConfigureAwait(false);
                target = new AzureTarget(settings.Subscription ?? imdsSub, settings.ResourceGroup ?? imdsRg);
                source = $"from the instance metadata at {imds.Authority}";
            }

            return new AzureSession(http, client, credential, cloud.Scope, target, AzureCredentials.Describe(settings)) { TargetSource = source };
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Azure Stack Hub: <c>GET {arm}/metadata/endpoints</c> names the login endpoint and the token audience.</summary>
    private static async Task<AzureCloud> StackCloudAsync(ArmClient plain, Uri stack, CancellationToken ct)
    {
        var address = new Uri(stack, $"metadata/endpoints?api-version={AzureApiVersions.StackEndpoints}");
        var reply = await plain.GetMetadataAsync(address, ct).ConfigureAwait(false);
        if (!reply.IsSuccess || reply.Body is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("authentication", out var auth) || auth.ValueKind != JsonValueKind.Object
            || !auth.TryGetProperty("loginEndpoint", out var loginText) || loginText.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(loginText.GetString(), UriKind.Absolute, out var login)
            || !auth.TryGetProperty("audiences", out var audiences) || audiences.ValueKind != JsonValueKind.Array
            || audiences.GetArrayLength() == 0 || audiences[0].ValueKind != JsonValueKind.String)
        {
            throw new AzureSessionException($"Azure Stack endpoints at {address} not readable ({reply.Status}; {reply.Ids}): expected authentication.loginEndpoint and audiences");
        }

        return new AzureCloud("stack", stack, login, AzureCloud.DefaultInstanceMetadata, "", audiences[0].GetString()!);
    }

    /// <summary>The VM's own subscription and resource group from <c>GET /metadata/instance</c>.</summary>
    private static async Task<(string Subscription, string ResourceGroup)> InstanceMetadataAsync(ArmClient plain, Uri imds, CancellationToken ct)
    {
        var address = new Uri(imds, $"metadata/instance?api-version={AzureApiVersions.InstanceMetadata}");
        ArmReply reply;
        try
        {
            reply = await plain.GetMetadataAsync(address, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw new AzureSessionException($"subscriptionId or resourceGroup not configured and the instance metadata at {imds.Authority} is not reachable ({e.Message}); "
                + "set them, or run on the Azure VM");
        }

        if (reply.IsSuccess && reply.Body is { ValueKind: JsonValueKind.Object } body
            && body.TryGetProperty("compute", out var compute) && compute.ValueKind == JsonValueKind.Object
            && Text(compute, "subscriptionId") is { } sub && Text(compute, "resourceGroupName") is { } rg
            && AzureFenceSettings.IsSafeName(sub) && AzureFenceSettings.IsSafeName(rg))
        {
            return (sub, rg);
        }

        throw new AzureSessionException($"subscriptionId or resourceGroup not configured and the instance metadata at {imds.Authority} "
            + $"did not give compute.subscriptionId and compute.resourceGroupName ({reply.Status}; {reply.Ids})");

        static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
