using ClusterD.AzureArmStub;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Devices;
using ClusterD.Fencing.Scripts;
using ClusterD.Fencing.Tests.TestSupport;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Fencing.Tests.Azure;

/// <summary>
/// Azure devices as the configuration declares them, fenced by the real <see cref="Fencer"/> through
/// <see cref="NativeFenceAgents"/> against <see cref="ArmStub"/>: host maps, the seed's external/azure,
/// reboot's deferred power-on.
/// </summary>
public sealed class AzureFencerTests : IAsyncLifetime
{
    private static readonly ClusterStatus BothOnline = ClusterStatus.AllOnline(["hadb01", "hadb02"]);

    private readonly TempDirectory _dir = new("clusterd-azure-");
    private ArmStub _stub = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.Path, Ct);
        _stub.AddVm("vm-db-1");
        _stub.AddVm("vm-db-2");
        _stub.AddVm("hadb01");
        _stub.AddVm("hadb02");
    }

    public async ValueTask DisposeAsync()
    {
        await _stub.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>No fence_* script may run in these tests: the script factory fails the test if asked.</summary>
    private static Fencer Fencer() => new(
        NativeFenceAgents.Factory(agent => throw new InvalidOperationException($"script agent {agent} asked for"), new AzureArmFenceAgent(TimeProvider.System)),
        TimeProvider.System);

    private string StubParams() => string.Join(" ", _stub.Parameters().Select(p => $"{p.Key}=\"{p.Value}\""));

    private static ClusterConfig Config(string text) =>
        CrmParser.Parse("node hadb01\nnode hadb02\nproperty priority-fencing-delay=0\n" + text).GetConfigOrThrow();

    [Fact]
    public async Task FenceAsync_HostMap_PowersOffTheMappedVmOnly()
    {
        var config = Config($"primitive st-azure stonith:fence_azure_arm params pcmk_host_map=\"hadb01:vm-db-1;hadb02:vm-db-2\" {StubParams()}\n");

        var outcome = await Fencer().FenceAsync(new FenceTarget("hadb02", "peer lost", "hadb01"), config, BothOnline, Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal("st-azure", outcome.Entry.Device);
        Assert.Equal(["vm-db-2"], _stub.CallsOf("powerOff").Select(c => c.Vm));
        Assert.Equal(("stopped", "running", "running"), (_stub.PowerState("vm-db-2"), _stub.PowerState("vm-db-1"), _stub.PowerState("hadb02")));
    }

    [Fact]
    public void FenceDevices_ExternalAzure_IsTheBuiltInAgentWithItsHostList()
    {
        var config = Config($"primitive st-azure stonith:external/azure params hostlist=\"hadb01 hadb02\" {StubParams()}\n");

        var device = Assert.Single(FenceDevices.From(config).Devices);

        Assert.Equal(AzureArmFenceAgent.AgentType, device.AgentType);
        Assert.Equal(HostCheck.StaticList, device.HostCheck);
        Assert.Equal(["hadb01", "hadb02"], device.HostList);
        Assert.False(device.Parameters.ContainsKey("hostlist"));
        Assert.Empty(FenceDevices.From(config).Warnings);
    }

    [Fact]
    public async Task FenceAsync_ExternalAzure_FencesANodeOfItsHostList()
    {
        var config = Config($"primitive st-azure stonith:external/azure params hostlist=\"hadb01 hadb02\" {StubParams()}\n");

        var outcome = await Fencer().FenceAsync(new FenceTarget("hadb01", "peer lost", "hadb02"), config, BothOnline, Ct);
        var notListed = await Fencer().FenceAsync(new FenceTarget("hadb03", "peer lost", "hadb02"), config, BothOnline, Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Equal(["hadb01"], _stub.CallsOf("powerOff").Select(c => c.Vm));
        Assert.False(notListed.Succeeded);
        Assert.Equal("no fence device can fence hadb03 (checked st-azure)", notListed.Entry.Detail);
    }

    [Fact]
    public async Task Reboot_DefersThePowerOn_UntilPowerOnAsync()
    {
        var config = Config($"property stonith-action=reboot\nprimitive st-azure stonith:fence_azure_arm params pcmk_host_map=\"hadb01:vm-db-1;hadb02:vm-db-2\" {StubParams()}\n");
        var fencer = Fencer();

        var outcome = await fencer.FenceAsync(new FenceTarget("hadb02", "peer lost", "hadb01"), config, BothOnline, Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.True(outcome.PowerOnDeferred);
        Assert.Equal(FenceAction.Reboot, Assert.Single(outcome.Attempts).Action);
        Assert.Equal("stopped", _stub.PowerState("vm-db-2"));
        Assert.Empty(_stub.CallsOf("start"));

        var on = await fencer.PowerOnAsync("hadb02", config, Ct);

        Assert.True(on.Succeeded, on.Output);
        Assert.Equal(["vm-db-2"], _stub.CallsOf("start").Select(c => c.Vm));
        Assert.Equal("running", _stub.PowerState("vm-db-2"));
    }

    [Fact]
    public async Task DynamicList_WithoutHostMap_AsksTheAgentsList()
    {
        var config = Config($"primitive st-azure stonith:fence_azure_arm params {StubParams()}\n");

        var outcome = await Fencer().FenceAsync(new FenceTarget("hadb02", "peer lost", "hadb01"), config, BothOnline, Ct);

        Assert.True(outcome.Succeeded, outcome.Entry.Detail);
        Assert.Single(_stub.CallsOf("list"));
        Assert.Equal(["hadb02"], _stub.CallsOf("powerOff").Select(c => c.Vm));
    }
}
