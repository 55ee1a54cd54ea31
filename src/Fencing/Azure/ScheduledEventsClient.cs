using System.Collections.Immutable;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// Azure's Scheduled Events through the instance metadata service, over the same pipeline as the fence
/// agent's metadata calls (retries, bounded answers, logged with their ids): <c>GET
/// /metadata/scheduledevents?api-version=2020-07-01</c> with <c>Metadata: true</c>, and the acknowledgement
/// <c>POST</c> of <c>{"StartRequests":[{"EventId":...}]}</c>, which lets an event start before its NotBefore.
/// </summary>
public sealed class ScheduledEventsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ArmClient _client;
    private readonly Uri _address;

    /// <param name="endpoint">The instance metadata service (<c>http://169.254.169.254/</c>).</param>
    /// <param name="caBundle">PEM authorities trusted for an https endpoint; null: the system's.</param>
    /// <exception cref="AzureCredentialException">The CA bundle cannot be read.</exception>
    public ScheduledEventsClient(Uri endpoint, string? caBundle, TimeProvider time, ILogger logger, AzureAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = AzureHttp.Create(caBundle, identity: null);
        _client = new ArmClient(_http, null, "", endpoint, options ?? Polling, time, logger);
        _address = new Uri(endpoint, $"metadata/scheduledevents?api-version={AzureApiVersions.ScheduledEvents}");
    }

    /// <summary>
    /// One poll is one try: the next poll is the retry. The answer may take long: Azure's first Scheduled Events
    /// query after a VM starts can take up to two minutes.
    /// </summary>
    public static AzureAgentOptions Polling { get; } = new() { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(130) };

    public Uri Address => _address;

    /// <summary>The events listed now.</summary>
    /// <exception cref="ScheduledEventsException">No answer, an error status, or not a Scheduled Events document.</exception>
    public async Task<(ImmutableArray<ScheduledEvent> Events, IReadOnlyList<string> Problems)> GetAsync(CancellationToken ct)
    {
        ArmReply reply;
        try
        {
            reply = await _client.GetMetadataAsync(_address, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or InvalidDataException or HttpRequestException)
        {
            throw new ScheduledEventsException($"{_address.GetLeftPart(UriPartial.Path)} did not answer: {e.Message}") { NotReachable = IsConnectFailure(e) };
        }

        if (!reply.IsSuccess || reply.Body is not { } body)
        {
            throw new ScheduledEventsException($"{_address.GetLeftPart(UriPartial.Path)} answered {reply.Status} {reply.ErrorCode ?? (reply.Body is null ? "without a JSON body" : "")} ({reply.Ids})");
        }

        var problems = new List<string>();
        var events = ScheduledEventsDocument.Parse(body, problems);
        return (events, problems);
    }

    /// <summary>Acknowledges <paramref name="eventId"/>: the platform may start it now.</summary>
    /// <exception cref="ScheduledEventsException">The acknowledgement was not accepted.</exception>
    public async Task AcknowledgeAsync(string eventId, CancellationToken ct)
    {
        var json = StartRequests(eventId);
        ArmReply reply;
        try
        {
            reply = await _client.PostMetadataAsync(_address, json, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or InvalidDataException or HttpRequestException)
        {
            throw new ScheduledEventsException($"acknowledging {eventId} at {_address.GetLeftPart(UriPartial.Path)} failed: {e.Message}");
        }

        if (!reply.IsSuccess)
        {
            throw new ScheduledEventsException($"acknowledging {eventId}: {_address.GetLeftPart(UriPartial.Path)} answered {reply.Status} {reply.ErrorCode} ({reply.Ids})");
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Nothing listens there (connection refused, no route, connect timeout): not an Azure VM.</summary>
    private static bool IsConnectFailure(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>{"StartRequests":[{"EventId":"..."}]}</c>, the id escaped as JSON requires.</summary>
    internal static string StartRequests(string eventId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("StartRequests");
            writer.WriteStartObject();
            writer.WriteString("EventId", eventId);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>The instance metadata service did not give the Scheduled Events; the message says why.</summary>
public sealed class ScheduledEventsException : Exception
{
    /// <summary>The endpoint could not be connected to at all.</summary>
    public bool NotReachable { get; init; }

    public ScheduledEventsException(string message)
        : base(message)
    {
    }

    public ScheduledEventsException()
    {
    }

    public ScheduledEventsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
