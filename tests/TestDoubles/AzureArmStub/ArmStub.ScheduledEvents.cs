using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ClusterD.AzureArmStub;

/// <summary>
/// The instance metadata service's Scheduled Events, as api-version 2020-07-01 answers them: a settable list of
/// events (<see cref="SetScheduledEvents"/>), the document incarnation raised at every change, and every
/// acknowledgement (<c>POST {"StartRequests":[{"EventId"}]}</c>) recorded in <see cref="StartRequests"/>; an
/// acknowledged event is Started. Requests without <c>Metadata: true</c> get 400, as IMDS answers them.
/// Faults set with <see cref="Fail"/> apply to the operations <c>scheduledEvents</c> and <c>scheduledEventsAck</c>.
/// </summary>
public sealed partial class ArmStub
{
    private readonly List<StubScheduledEvent> _scheduledEvents = [];
    private readonly List<string> _startRequests = [];
    private int _incarnation = 1;

    /// <summary>Event ids acknowledged so far, in order.</summary>
    public IReadOnlyList<string> StartRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _startRequests];
            }
        }
    }

    /// <summary>Replaces the events the endpoint lists.</summary>
    public void SetScheduledEvents(params StubScheduledEvent[] events)
    {
        lock (_gate)
        {
            _scheduledEvents.Clear();
            _scheduledEvents.AddRange(events);
            _incarnation++;
        }
    }

    private async Task<bool> TryScheduledEventsAsync(HttpContext context, string path, Dictionary<string, string> query)
    {
        if (path != "/metadata/scheduledevents")
        {
            return false;
        }

        var request = context.Request;
        var operation = request.Method == "POST" ? "scheduledEventsAck" : "scheduledEvents";
        var metadata = request.Headers["Metadata"].ToString() == "true";
        JsonElement? body = null;
        if (operation == "scheduledEventsAck")
        {
            try
            {
                body = (await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted)).RootElement.Clone();
            }
            catch (JsonException)
            {
            }
        }

        int status;
        object? answer;
        lock (_gate)
        {
            (status, answer) = AnswerScheduledEvents(context, operation, metadata, body);
            _calls.Add(new StubCall(operation, request.Method, path, query, null, false, request.Headers.ContainsKey("Metadata"),
                request.Headers["x-ms-client-request-id"].ToString() is { Length: > 0 } id ? id : null, status, DateTimeOffset.UtcNow));
        }

        context.Response.StatusCode = status;
        if (answer is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(answer), context.RequestAborted);
        }

        return true;
    }

    private (int Status, object? Body) AnswerScheduledEvents(HttpContext context, string operation, bool metadata, JsonElement? body)
    {
        var fault = _faults.FirstOrDefault(f => f.Operation == operation && f.Remaining > 0);
        if (fault is not null)
        {
            fault.Remaining--;
            if (fault.RetryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = after;
            }

            return (fault.Status, Error(fault.Code ?? DefaultCode(fault.Status), $"stub fault {fault.Status} for {operation}"));
        }

        if (!metadata)
        {
            return (400, Error("bad_request", "Required metadata header not specified"));
        }

        if (operation == "scheduledEventsAck")
        {
            if (body is not { ValueKind: JsonValueKind.Object } b || !b.TryGetProperty(nameof(StartRequests), out var requests) || requests.ValueKind != JsonValueKind.Array)
            {
                return (400, Error("bad_request", "StartRequests expected"));
            }

            foreach (var r in requests.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    _startRequests.Add(id.GetString()!);
                    var index = _scheduledEvents.FindIndex(e => e.EventId == id.GetString());
                    if (index >= 0)
                    {
                        _scheduledEvents[index] = _scheduledEvents[index] with { Status = "Started", NotBefore = null };
                        _incarnation++;
                    }
                }
            }

            return (200, null);
        }

        return (200, new Dictionary<string, object>
        {
            ["DocumentIncarnation"] = _incarnation,
            ["Events"] = _scheduledEvents.Select(e => new Dictionary<string, object>
            {
                ["EventId"] = e.EventId,
                ["EventType"] = e.Type,
                ["ResourceType"] = "VirtualMachine",
                ["Resources"] = e.Resources,
                ["EventStatus"] = e.Status,
                ["NotBefore"] = e.NotBefore?.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture) ?? "",
                ["Description"] = e.Description,
                ["EventSource"] = "Platform",
                ["DurationInSeconds"] = e.DurationSeconds,
            }).ToList(),
        });
    }
}

/// <summary>One event the stub lists: <see cref="Status"/> Scheduled or Started; <see cref="DurationSeconds"/> -1 when not known.</summary>
public sealed record StubScheduledEvent(
    string EventId, string Type, string[] Resources, string Status = "Scheduled", DateTimeOffset? NotBefore = null,
    int DurationSeconds = -1, string Description = "Host server is undergoing maintenance.");
