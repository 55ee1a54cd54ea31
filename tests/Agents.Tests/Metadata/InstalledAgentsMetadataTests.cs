using ClusterD.Agents.Metadata;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Metadata;

/// <summary>Every agent Debian's resource-agents installs: its meta-data, through the real runner, must parse.</summary>
public sealed class InstalledAgentsMetadataTests(ITestOutputHelper output) : IDisposable
{
    private const string HeartbeatDirectory = AgentHarness.SystemOcfRoot + "/resource.d/heartbeat";
    private readonly AgentHarness _h = new();

    [Fact]
    public async Task EveryHeartbeatAgent_MetaDataParsesLeniently()
    {
        var agents = Directory.GetFiles(HeartbeatDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.True(agents.Count > 100, $"resource-agents should install over 100 heartbeat agents, found {agents.Count}");

        var parsed = 0;
        var warnings = 0;
        var failures = new List<string>();
        using var throttle = new SemaphoreSlim(4);
        var results = await Task.WhenAll(agents.Select(async type =>
        {
            await throttle.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                var result = await _h.Ocf($"ocf:heartbeat:{type}").ExecuteAsync(
                    new AgentRequest(AgentAction.MetaData, "meta") { Timeout = TimeSpan.FromSeconds(30) }, TestContext.Current.CancellationToken);
                return (type, result);
            }
            finally
            {
                throttle.Release();
            }
        }));

        foreach (var (type, result) in results)
        {
            if (!result.IsSuccess)
            {
                // A few agents need their own tools even to print meta-data; that is the agent's answer, not a parse failure.
                output.WriteLine($"{type}: meta-data returned {result.Name} ({result.ExitReason})");
                continue;
            }

            Assert.False(result.OutputTruncated, $"{type}: meta-data truncated");
            if (!AgentMetadataParser.TryParse(result.Output, out var metadata, out var error))
            {
                failures.Add($"{type}: {error}");
                continue;
            }

            parsed++;
            warnings += metadata.Warnings.Length;
            foreach (var warning in metadata.Warnings)
            {
                output.WriteLine($"{type}: {warning}");
            }

            Assert.NotEmpty(metadata.Actions);
        }

        output.WriteLine($"{parsed} of {agents.Count} agents parsed, {warnings} warnings");
        Assert.Empty(failures);
        Assert.True(parsed >= agents.Count * 9 / 10, $"only {parsed} of {agents.Count} agents printed meta-data");
    }

    [Fact]
    public async Task Filesystem_MetaData_HasItsRequiredParametersAndTimeouts()
    {
        var result = await _h.Ocf("ocf:heartbeat:Filesystem").ExecuteAsync(new AgentRequest(AgentAction.MetaData, "meta"), TestContext.Current.CancellationToken);
        var metadata = AgentMetadataParser.Parse(result.Output);

        Assert.Equal("Filesystem", metadata.Name);
        Assert.Equal(["device", "directory", "fstype"], metadata.Parameters.Where(p => p.Required).Select(p => p.Name));
        Assert.Equal(TimeSpan.FromSeconds(60), metadata.DefaultTimeout(AgentAction.Start));
        Assert.Equal(TimeSpan.FromSeconds(60), metadata.DefaultTimeout(AgentAction.Stop));
        Assert.Contains(metadata.Actions, a => a.Name == "monitor" && a.Depth == 0 && a.Interval == TimeSpan.FromSeconds(20));
    }

    public void Dispose() => _h.Dispose();
}
