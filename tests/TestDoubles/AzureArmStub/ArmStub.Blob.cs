using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ClusterD.AzureArmStub;

/// <summary>
/// The Blob service part of the stub (the cloud witness): blobs addressed as <c>/{account}/{container}/{blob}</c>
/// under <see cref="BlobEndpoint"/>, created by <c>PUT</c> (<c>If-None-Match: *</c> honoured), and their leases
/// (<c>PUT ?comp=lease</c>, <c>x-ms-lease-action</c> acquire, renew, release) as the Blob service keeps them: an
/// acquire on a free or expired lease, or with the holder's own id, is granted (201); on a lease held by another
/// id it is refused with 409 <c>LeaseAlreadyPresent</c>; renew and release need the holder's id (an expired lease
/// not taken by anyone else may still be renewed), else 409 <c>LeaseIdMismatchWithLeaseOperation</c> or
/// <c>LeaseNotPresentWithLeaseOperation</c>. Leases expire by <see cref="BlobClock"/>. Every request is
/// recorded with its lease headers (<see cref="BlobCalls"/>).
/// </summary>
public sealed partial class ArmStub
{
    /// <summary>The account name of <see cref="BlobEndpoint"/>.</summary>
    public const string StorageAccount = "witnessacct";

    private readonly Dictionary<string, StubBlob> _blobs = new(StringComparer.Ordinal);
    private readonly List<StubBlobCall> _blobCalls = [];

    /// <summary>The clock lease expiry is measured by (a fake one lets a test expire a lease exactly).</summary>
    public TimeProvider BlobClock { get; set; } = TimeProvider.System;

    /// <summary>While set, blob requests get no answer until the client gives up (a witness that cannot be reached).</summary>
    public bool BlobUnresponsive { get; set; }

    /// <summary>The blob service endpoint of <see cref="StorageAccount"/> (path style, as storage emulators address it).</summary>
    public Uri BlobEndpoint => new(BaseAddress, StorageAccount + "/");

    /// <summary>Every blob request so far, with its lease headers.</summary>
    public IReadOnlyList<StubBlobCall> BlobCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _blobCalls];
            }
        }
    }

    /// <summary>A clusterd.conf <c>witness { ... }</c> block pointing a daemon at this stub's Blob service (managed identity through the stub, its CA bundle).</summary>
    public string WitnessSection(string container = "clusterd", string? headStartMs = null) =>
        "    witness {\n        type: azure_blob\n"
        + $"        endpoint: {BlobEndpoint}\n        container: {container}\n        identity_endpoint: {BaseAddress}\n        ca_bundle: {CaBundle}\n"
        + (headStartMs is null ? "" : $"        head_start: {headStartMs}\n")
        + "    }";

    /// <summary>The id of the lease active on <paramref name="path"/> (<c>/account/container/blob</c>) now, if any.</summary>
    public Guid? LeaseHolder(string path)
    {
        lock (_gate)
        {
            return _blobs.TryGetValue(path, out var blob) && blob.LeaseId is { } id && blob.LeaseExpires > BlobClock.GetUtcNow() ? id : null;
        }
    }

    /// <summary>Creates <paramref name="path"/> with a lease held by <paramref name="leaseId"/> for <paramref name="duration"/> (the peer's).</summary>
    public void HoldLease(string path, Guid leaseId, TimeSpan duration)
    {
        lock (_gate)
        {
            _blobs[path] = new StubBlob { LeaseId = leaseId, LeaseDuration = duration, LeaseExpires = BlobClock.GetUtcNow() + duration };
        }
    }

    /// <summary>Blob requests carry <c>x-ms-version</c> (the Blob REST API requires it); Resource Manager and identity calls do not.</summary>
    private static bool IsBlobRequest(HttpRequest request) => request.Headers.ContainsKey("x-ms-version");

    private async Task HandleBlobAsync(HttpContext context)
    {
        var request = context.Request;
        if (BlobUnresponsive)
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var path = request.Path.Value ?? "/";
        var comp = request.Query["comp"].ToString();
        var action = request.Headers["x-ms-lease-action"].ToString();
        var operation = comp == "lease" ? "lease" + (action.Length == 0 ? "" : char.ToUpperInvariant(action[0]) + action[1..]) : request.Method == "PUT" ? "createBlob" : "blob";
        var presented = request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? ExpiryOf(auth["Bearer ".Length..]) : null;
        int status;
        string? code;
        Guid? granted;
        lock (_gate)
        {
            (status, code, granted) = AnswerBlob(request, operation, path, presented > DateTimeOffset.UtcNow);
            var headers = new[] { "x-ms-version", "x-ms-lease-action", "x-ms-lease-duration", "x-ms-proposed-lease-id", "x-ms-lease-id", "If-None-Match", "x-ms-blob-type" }
                .Where(h => request.Headers.ContainsKey(h)).ToDictionary(h => h, h => request.Headers[h].ToString(), StringComparer.OrdinalIgnoreCase);
            var clientId = request.Headers["x-ms-client-request-id"].ToString() is { Length: > 0 } id ? id : null;
            _blobCalls.Add(new StubBlobCall(operation, request.Method, path, headers, status, code, DateTimeOffset.UtcNow));
            _calls.Add(new StubCall(operation, request.Method, path, request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                null, presented is not null, false, clientId, status, DateTimeOffset.UtcNow));
        }

        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        context.Response.Headers["x-ms-version"] = request.Headers["x-ms-version"].ToString();
        if (granted is { } lease)
        {
            context.Response.Headers["x-ms-lease-id"] = lease.ToString();
        }

        if (code is not null)
        {
            context.Response.Headers["x-ms-error-code"] = code;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>stub: {code}</Message></Error>", context.RequestAborted);
        }
    }

    private (int Status, string? Code, Guid? Lease) AnswerBlob(HttpRequest request, string operation, string path, bool authorized)
    {
        var fault = _faults.FirstOrDefault(f => f.Operation == operation && f.Remaining > 0);
        if (fault is not null)
        {
            fault.Remaining--;
            return (fault.Status, fault.Code ?? (fault.Status >= 500 ? "InternalError" : "StubFault"), null);
        }

        if (!authorized)
        {
            return (401, "InvalidAuthenticationInfo", null);
        }

        var now = BlobClock.GetUtcNow();
        _blobs.TryGetValue(path, out var blob);
        if (operation == "createBlob")
        {
            if (blob is not null && request.Headers.IfNoneMatch.ToString() == "*")
            {
                return (409, "BlobAlreadyExists", null);
            }

            if (blob?.LeaseId is not null && blob.LeaseExpires > now && request.Headers["x-ms-lease-id"].ToString() != blob.LeaseId.ToString())
            {
                return (412, "LeaseIdMissing", null);
            }

            _blobs[path] = blob ?? new StubBlob();
            return (201, null, null);
        }

        if (blob is null)
        {
            return (404, "BlobNotFound", null);
        }

        var active = blob.LeaseId is not null && blob.LeaseExpires > now;
        var given = Guid.TryParse(request.Headers["x-ms-lease-id"].ToString(), out var g) ? g : (Guid?)null;
        switch (operation)
        {
            case "leaseAcquire":
                var durationText = request.Headers["x-ms-lease-duration"].ToString();
                if (!int.TryParse(durationText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) || (seconds is < 15 or > 60 && seconds != -1))
                {
                    return (400, "InvalidHeaderValue", null);
                }

                var proposed = Guid.TryParse(request.Headers["x-ms-proposed-lease-id"].ToString(), out var p) ? p : Guid.NewGuid();
                if (active && blob.LeaseId != proposed)
                {
                    return (409, "LeaseAlreadyPresent", null);
                }

                blob.LeaseId = proposed;
                blob.LeaseDuration = seconds == -1 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
                blob.LeaseExpires = seconds == -1 ? DateTimeOffset.MaxValue : now + blob.LeaseDuration;
                return (201, null, proposed);
            case "leaseRenew" or "leaseRelease":
                if (blob.LeaseId is null)
                {
                    return (409, "LeaseNotPresentWithLeaseOperation", null);
                }

                if (blob.LeaseId != given)
                {
                    return (409, "LeaseIdMismatchWithLeaseOperation", null);
                }

                if (operation == "leaseRelease")
                {
                    blob.LeaseId = null;
                    return (200, null, null);
                }

                blob.LeaseExpires = blob.LeaseDuration == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : now + blob.LeaseDuration;
                return (200, null, blob.LeaseId);
            default:
                return (400, "InvalidQueryParameterValue", null);
        }
    }

    private sealed class StubBlob
    {
        public Guid? LeaseId { get; set; }

        public TimeSpan LeaseDuration { get; set; }

        public DateTimeOffset LeaseExpires { get; set; }
    }
}

/// <summary>One Blob service request the stub received, with its lease headers.</summary>
/// <param name="Operation"><c>leaseAcquire</c>, <c>leaseRenew</c>, <c>leaseRelease</c>, <c>createBlob</c>.</param>
public sealed record StubBlobCall(string Operation, string Method, string Path, IReadOnlyDictionary<string, string> Headers, int Status, string? ErrorCode, DateTimeOffset At);
