using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ClusterD.Fencing.Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Fencing.Witness;

/// <summary>
/// The cloud witness on Azure Blob storage: the lease of one blob (Blob REST "Lease Blob",
/// <c>PUT {blob}?comp=lease</c> with <c>x-ms-lease-action</c> acquire, renew or release), through Azure.Core's
/// pipeline (client request ids, retries of 408/429/5xx and network failures) with a token from the same
/// Azure.Identity credential and HTTP client the Azure fence agent builds (<see cref="AzureCredentials"/>,
/// <see cref="AzureHttp"/>: CA bundle, identity endpoint). A thin shell: what an answer means is
/// <see cref="LeaseReply"/>, what to do about it <see cref="WitnessArbitration"/>.
/// </summary>
/// <remarks>
/// The blob is created (empty) when the lease finds none, so the operator creates only the container. The
/// identity needs <c>Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read</c> and <c>write</c> on
/// it (the built-in "Storage Blob Data Contributor" role on the container). Each call is bounded by
/// <see cref="WitnessOptions.RequestTimeout"/>, its retries included.
/// </remarks>
public sealed class AzureBlobWitness : IWitnessLease, IDisposable
{
    /// <summary>The token audience of Azure Storage (the same in every Azure cloud).</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private readonly HttpClient _http;
    private readonly HttpPipeline _pipeline;
    private readonly AzureWitnessSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <exception cref="AzureCredentialException">The CA bundle or a credential file is refused.</exception>
    public AzureBlobWitness(AzureWitnessSettings settings, Guid leaseId, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _settings = settings;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        LeaseId = leaseId;
        var options = new AzureAgentOptions
        {
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            NetworkTimeout = settings.Timings.RequestTimeout,
        };
        _http = AzureHttp.Create(settings.Azure);
        try
        {
            var cloud = settings.Azure.Cloud ?? AzureCloud.Public;
            var login = settings.Azure.Login ?? cloud.Login;
            var credential = AzureCredentials.Create(settings.Azure, login, settings.Azure.Login is not null, _http, options);
            _pipeline = HttpPipelineBuilder.Build(new AzurePipelineOptions(_http, options, "clusterd-witness"), new BearerTokenAuthenticationPolicy(credential, StorageScope));
        }
        catch
        {
            _http.Dispose();
            throw;
        }
    }

    /// <summary>This node's lease id (<c>x-ms-proposed-lease-id</c>), fixed for the process.</summary>
    public Guid LeaseId { get; }

    public string Description => $"azure blob {_settings.BlobUrl}";

    /// <summary>The timings the settings give (head start, lease, request bound).</summary>
    public WitnessOptions Timings => _settings.Timings;

    public Task<LeaseReply> AcquireAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        LeaseAsync("acquire", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), createMissing: true, cancellationToken);

    public Task<LeaseReply> RenewAsync(CancellationToken cancellationToken) => LeaseAsync("renew", null, createMissing: false, cancellationToken);

    public Task<LeaseReply> ReleaseAsync(CancellationToken cancellationToken) => LeaseAsync("release", null, createMissing: false, cancellationToken);

    /// <summary>
    /// Makes sure the blob exists (created empty when not; never touching a lease), which also fetches the token
    /// and opens the connection: done at start and now and then, so a fence race never waits for either.
    /// </summary>
    public Task<LeaseReply> CheckAsync(CancellationToken cancellationToken) =>
        BoundedAsync("check", async ct =>
        {
            var (status, code, ids) = await CreateBlobAsync(ct).ConfigureAwait(false);
            var detail = $"check {status}{(code is null ? "" : " " + code)} ({ids})";
            return status == 201 || (status == 409 && code == "BlobAlreadyExists") ? LeaseReply.Granted(detail) : LeaseReply.Unreachable(Explain(status, code, detail));
        }, cancellationToken);

    /// <summary>
    /// Checks the witness at once and then every <paramref name="interval"/> (after a failed check, every
    /// <paramref name="retry"/>) until cancelled, logging whether a fence race could use it.
    /// </summary>
    public async Task KeepWarmAsync(TimeSpan interval, TimeSpan retry, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var reply = await CheckAsync(cancellationToken).ConfigureAwait(false);
                var ready = reply.Result == LeaseResult.Granted;
                if (ready)
                {
                    WitnessLog.Ready(_logger, Description, reply.Detail);
                }
                else
                {
                    WitnessLog.NotReady(_logger, Description, reply.Detail);
                }

                await Task.Delay(ready ? interval : retry, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The daemon stops.
        }
    }

    public void Dispose() => _http.Dispose();

    private Task<LeaseReply> LeaseAsync(string action, string? duration, bool createMissing, CancellationToken cancellationToken) =>
        BoundedAsync(action, async ct =>
        {
            var (status, code, ids) = await SendLeaseAsync(action, duration, ct).ConfigureAwait(false);
            if (status == 404 && code == "BlobNotFound" && createMissing)
            {
                var (created, createCode, createIds) = await CreateBlobAsync(ct).ConfigureAwait(false);
                if (created is not (201 or 409))
                {
                    return LeaseReply.Unreachable($"creating the blob answered {created} {createCode ?? "-"} ({createIds})");
                }

                (status, code, ids) = await SendLeaseAsync(action, duration, ct).ConfigureAwait(false);
            }

            var detail = $"{action} {status}{(code is null ? "" : " " + code)} ({ids})";
            return (status, code) switch
            {
                ( >= 200 and < 300, _) => LeaseReply.Granted(detail),
                (409, "LeaseAlreadyPresent") => LeaseReply.HeldByOther(detail),
                (409 or 412, "LeaseIdMismatchWithLeaseOperation" or "LeaseNotPresentWithLeaseOperation" or "LeaseLost" or "LeaseIdMismatchWithBlobOperation") => LeaseReply.NotHeld(detail),
                _ => LeaseReply.Unreachable(Explain(status, code, detail)),
            };
        }, cancellationToken);

    /// <summary>One call bounded by <see cref="WitnessOptions.RequestTimeout"/>, its retries included; no answer in time, or a failure to connect, is unreachable.</summary>
    private async Task<LeaseReply> BoundedAsync(string what, Func<CancellationToken, Task<LeaseReply>> call, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(_settings.Timings.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return LeaseReply.Unreachable($"{what}: no answer within {_settings.Timings.RequestTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException or IOException
            or global::Azure.Identity.AuthenticationFailedException or InvalidOperationException)
        {
            return LeaseReply.Unreachable($"{what}: {AzureFenceSettings.Bounded(e.Message.ReplaceLineEndings(" "), 300)}");
        }
    }

    private async Task<(int Status, string? Code, string Ids)> SendLeaseAsync(string action, string? duration, CancellationToken ct)
    {
        using var message = Create(RequestMethod.Put, new Uri(_settings.BlobUrl + "?comp=lease"));
        message.Request.Headers.Add("x-ms-lease-action", action);
        if (duration is not null)
        {
            message.Request.Headers.Add("x-ms-lease-duration", duration);
            message.Request.Headers.Add("x-ms-proposed-lease-id", LeaseId.ToString());
        }
        else
        {
            message.Request.Headers.Add("x-ms-lease-id", LeaseId.ToString());
        }

        return await SendAsync(message, "lease " + action, ct).ConfigureAwait(false);
    }

    /// <summary>An empty block blob, only when none exists (<c>If-None-Match: *</c>): never overwrites one that holds a lease.</summary>
    private async Task<(int Status, string? Code, string Ids)> CreateBlobAsync(CancellationToken ct)
    {
        using var message = Create(RequestMethod.Put, _settings.BlobUrl);
        message.Request.Headers.Add("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.Add("If-None-Match", "*");
        message.Request.Content = RequestContent.Create(BinaryData.Empty);
        return await SendAsync(message, "create blob", ct).ConfigureAwait(false);
    }

    private HttpMessage Create(RequestMethod method, Uri uri)
    {
        var message = _pipeline.CreateMessage();
        message.BufferResponse = false; // lease answers have no body worth reading: status and headers say it all
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("x-ms-version", AzureApiVersions.BlobService);
        return message;
    }

    private async Task<(int Status, string? Code, string Ids)> SendAsync(HttpMessage message, string what, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        await _pipeline.SendAsync(message, ct).ConfigureAwait(false);
        var response = message.Response;
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        code = code is null ? null : AzureFenceSettings.Bounded(code, 80);
        var ids = $"client request id {message.Request.ClientRequestId}" + (requestId is null ? "" : $", request id {AzureFenceSettings.Bounded(requestId, 80)}");
        WitnessLog.BlobCall(_logger, what, _settings.BlobUrl.AbsolutePath, response.Status, code ?? "-", ids, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        return (response.Status, code, ids);
    }

    private static string Explain(int status, string? code, string detail) => status switch
    {
        401 => $"{detail}: the token was not accepted",
        403 => $"{detail}: the identity may not lease the blob; assign it Storage Blob Data Contributor on the container",
        404 => $"{detail}: no such storage account or container",
        _ => detail,
    };
}
