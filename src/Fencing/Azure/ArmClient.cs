using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// Resource Manager and instance metadata calls over Azure.Core's pipeline (client request ids,
/// retries with <c>Retry-After</c>, the bearer token policy). Answers are read with a bound and never
/// trusted: a body that is not JSON is an answer without a body. Every call is logged with its status
/// and ARM's ids, never with its token.
/// </summary>
internal sealed class ArmClient
{
    /// <summary>Largest body read (a 1000-VM list page is about 2 MiB).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private readonly HttpPipeline _arm;
    private readonly HttpPipeline _plain;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ArmClient(HttpClient http, TokenCredential? credential, string scope, Uri resourceManager, AzureAgentOptions options, TimeProvider time, ILogger logger)
    {
        ResourceManager = resourceManager;
        _time = time;
        _logger = logger;
        var clientOptions = new AzurePipelineOptions(http, options, "clusterd-fence");
        _plain = HttpPipelineBuilder.Build(clientOptions);
        _arm = credential is null ? _plain : HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(credential, scope));
    }

    public Uri ResourceManager { get; }

    /// <summary>A call to Resource Manager; <paramref name="path"/> is relative to it, with its query.</summary>
    public Task<ArmReply> SendAsync(RequestMethod method, string path, CancellationToken ct) =>
        SendAsync(_arm, method, new Uri(ResourceManager, path), metadata: false, ct);

    /// <summary>A call to an absolute address on Resource Manager's host (a list's <c>nextLink</c>); refused elsewhere.</summary>
    public Task<ArmReply> SendToAsync(Uri absolute, CancellationToken ct)
    {
        if (!string.Equals(absolute.Scheme, ResourceManager.Scheme, StringComparison.Ordinal) || absolute.Authority != ResourceManager.Authority)
        {
            throw new InvalidDataException($"Resource Manager sent a next page link to another host ({absolute.Authority})");
        }

        return SendAsync(_arm, RequestMethod.Get, absolute, metadata: false, ct);
    }

    /// <summary>An unauthenticated call with <c>Metadata: true</c> (instance metadata, Azure Stack endpoints).</summary>
    public Task<ArmReply> GetMetadataAsync(Uri address, CancellationToken ct) => SendAsync(_plain, RequestMethod.Get, address, metadata: true, ct);

    /// <summary>An unauthenticated POST with <c>Metadata: true</c> and a JSON body (a Scheduled Events acknowledgement).</summary>
    public Task<ArmReply> PostMetadataAsync(Uri address, string json, CancellationToken ct) => SendAsync(_plain, RequestMethod.Post, address, metadata: true, ct, json);

    private async Task<ArmReply> SendAsync(HttpPipeline pipeline, RequestMethod method, Uri uri, bool metadata, CancellationToken ct, string? json = null)
    {
        using var message = pipeline.CreateMessage();
        message.BufferResponse = false;
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        if (metadata)
        {
            message.Request.Headers.Add("Metadata", "true");
        }

        if (method == RequestMethod.Post)
        {
            message.Request.Content = RequestContent.Create(BinaryData.FromString(json ?? "{}"));
            message.Request.Headers.Add("Content-Type", "application/json");
        }

        var started = _time.GetTimestamp();
        await pipeline.SendAsync(message, ct).ConfigureAwait(false);
        var response = message.Response;
        var body = await ReadBodyAsync(response, ct).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-correlation-request-id", out var correlation);
        var (code, text) = ErrorOf(body);
        var reply = new ArmReply(response.Status, body, code, text, message.Request.ClientRequestId, correlation);
        var ms = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        if (reply.IsSuccess)
        {
            FencingLog.ArmCall(_logger, method.Method, uri.AbsolutePath, response.Status, reply.ClientRequestId, correlation ?? "-", ms);
        }
        else
        {
            FencingLog.ArmCallFailed(_logger, method.Method, uri.AbsolutePath, response.Status, code ?? "-", reply.ClientRequestId, correlation ?? "-", ms);
        }

        return reply;
    }

    private static async Task<JsonElement?> ReadBodyAsync(global::Azure.Response response, CancellationToken ct)
    {
        if (response.ContentStream is not { } stream)
        {
            return null;
        }

        using var bounded = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (bounded.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException($"an answer longer than {MaxBodyBytes} bytes");
            }

            bounded.Write(buffer, 0, read);
        }

        if (bounded.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bounded.GetBuffer().AsMemory(0, (int)bounded.Length), new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>ARM's <c>{"error": {"code", "message"}}</c>, bounded and printable.</summary>
    private static (string? Code, string? Message) ErrorOf(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } b || !b.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        return (Text(error, "code"), Text(error, "message"));

        static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? AzureFenceSettings.Bounded(v.GetString()!, 300) : null;
    }
}
