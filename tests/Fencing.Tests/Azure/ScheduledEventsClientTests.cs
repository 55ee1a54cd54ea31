using System.Text.Json;
using ClusterD.AzureArmStub;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Fencing.Tests.Azure;

/// <summary>Scheduled Events over real HTTPS against <see cref="ArmStub"/>: the exact calls, parsing and acknowledgement.</summary>
public sealed class ScheduledEventsClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset NotBefore = new(2026, 3, 2, 10, 15, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new("clusterd-scheduled-");
    private ArmStub _stub = null!;
    private ScheduledEventsClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.Path, Ct);
        _client = new ScheduledEventsClient(_stub.BaseAddress, _stub.CaBundle, TimeProvider.System, NullLogger.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _stub.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task GetAsync_FreezeAndReboot_ParsedFromOneMetadataCall()
    {
        _stub.SetScheduledEvents(
            new StubScheduledEvent("ev-1", "Freeze", ["vm-hadb02"], NotBefore: NotBefore, DurationSeconds: 9),
            new StubScheduledEvent("ev-2", "Reboot", ["vm-hadb01"], Status: "Started"));

        var (events, problems) = await _client.GetAsync(Ct);

        Assert.Empty(problems);
        Assert.Equal(new ScheduledEvent("ev-1", ScheduledEventType.Freeze, ["vm-hadb02"], false, NotBefore, TimeSpan.FromSeconds(9), "Host server is undergoing maintenance."), events[0]);
        Assert.Equal(new ScheduledEvent("ev-2", ScheduledEventType.Reboot, ["vm-hadb01"], true, null, null, "Host server is undergoing maintenance."), events[1]);
        var call = Assert.Single(_stub.CallsOf("scheduledEvents"));
        Assert.Equal("GET", call.Method);
        Assert.Equal("2020-07-01", call.ApiVersion);
        Assert.True(call.MetadataHeader);
    }

    [Fact]
    public async Task AcknowledgeAsync_PostsStartRequestsWithTheEventId()
    {
        _stub.SetScheduledEvents(new StubScheduledEvent("ev-9", "Redeploy", ["vm-hadb01"], NotBefore: NotBefore));

        await _client.AcknowledgeAsync("ev-9", Ct);

        Assert.Equal(["ev-9"], _stub.StartRequests);
        var call = Assert.Single(_stub.CallsOf("scheduledEventsAck"));
        Assert.Equal(("POST", "2020-07-01", 200), (call.Method, call.ApiVersion, call.Status));
        var (events, _) = await _client.GetAsync(Ct);
        Assert.True(Assert.Single(events).Started);
    }

    [Fact]
    public async Task GetAsync_ServerError_ThrowsNamingTheStatus()
    {
        _stub.Fail("scheduledEvents", 500, times: 1);

        var e = await Assert.ThrowsAsync<ScheduledEventsException>(() => _client.GetAsync(Ct));

        Assert.Contains("answered 500", e.Message, StringComparison.Ordinal);
        Assert.False(e.NotReachable);
    }

    [Fact]
    public async Task GetAsync_NothingListens_NotReachable()
    {
        using var nowhere = new ScheduledEventsClient(new Uri("http://127.0.0.1:9/"), null, TimeProvider.System, NullLogger.Instance);

        var e = await Assert.ThrowsAsync<ScheduledEventsException>(() => nowhere.GetAsync(Ct));

        Assert.True(e.NotReachable, e.Message);
    }

    [Theory]
    [InlineData("""{"Events": 5}""", 0, "no Events array")]
    [InlineData("""{"Events": [{"EventId": "", "Resources": []}]}""", 0, "without a usable EventId")]
    [InlineData("""{"Events": [{"EventId": "a", "EventType": "Reboot"}]}""", 0, "has no Resources list")]
    [InlineData("""{"Events": [{"EventId": "a", "Resources": ["vm"], "NotBefore": "tomorrow"}]}""", 0, "unreadable NotBefore")]
    [InlineData("""{"Events": [{"EventId": "a", "EventType": "Hibernate", "Resources": ["vm", 3, ""]}]}""", 1, null)]
    public void Parse_HostileDocuments_SkipWithAReason(string json, int count, string? problem)
    {
        using var document = JsonDocument.Parse(json);
        var problems = new List<string>();

        var events = ScheduledEventsDocument.Parse(document.RootElement, problems);

        Assert.Equal(count, events.Length);
        if (problem is null)
        {
            Assert.Empty(problems);
            Assert.Equal(ScheduledEventType.Other, events[0].Type);
            Assert.Equal(["vm"], events[0].Resources);
        }
        else
        {
            Assert.Contains(problem, Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_TooManyEvents_Bounded()
    {
        var json = "{\"Events\":[" + string.Join(',', Enumerable.Range(0, 100).Select(i => $"{{\"EventId\":\"e{i}\",\"Resources\":[\"vm\"]}}")) + "]}";
        using var document = JsonDocument.Parse(json);
        var problems = new List<string>();

        Assert.Equal(ScheduledEventsDocument.MaxEvents, ScheduledEventsDocument.Parse(document.RootElement, problems).Length);
        Assert.Contains("more than 64 events", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void StartRequests_EscapesTheId() =>
        Assert.Equal("""{"StartRequests":[{"EventId":"a\u0022b"}]}""", ScheduledEventsClient.StartRequests("a\"b"));
}
