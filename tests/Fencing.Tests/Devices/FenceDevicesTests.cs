using ClusterD.Fencing.Devices;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Fencing.Tests.Devices;

public sealed class FenceDevicesTests
{
    private static FenceDevices Read(string crm) => FenceDevices.From(CrmParser.Parse(crm).GetConfigOrThrow());

    private static FenceDevice Single(string parameters, string ops = "")
    {
        var devices = Read($"""
            node node1
            node node2
            primitive st stonith:fence_azure_arm params {parameters} {ops}
            """);
        return Assert.Single(devices.Devices);
    }

    [Fact]
    public void From_StonithPrimitives_BecomeDevicesInConfigurationOrderWithoutPcmkOptions()
    {
        var devices = Read("""
            primitive dummy ocf:heartbeat:Dummy
            primitive st-b stonith:fence_dummy params status_file=/tmp/b pcmk_host_list="node2"
            primitive st-a stonith:fence_azure_arm params resourceGroup=rg msi=true pcmk_host_map="node1:vm-1;node2:vm-2" pcmk_delay_max=10s
            primitive st-off stonith:fence_dummy meta target-role=Stopped
            """);

        Assert.Equal(["st-b", "st-a"], devices.Devices.Select(d => d.Id));
        Assert.Equal(["fence_dummy", "fence_azure_arm"], devices.Devices.Select(d => d.AgentType));
        Assert.Equal(["msi", "resourceGroup"], devices.Devices[1].Parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("rg", devices.Devices[1].Parameters["resourceGroup"]);
        Assert.Empty(devices.Warnings);
    }

    [Fact]
    public void From_NoListOrMap_DefaultsToDynamicList()
    {
        Assert.Equal(HostCheck.DynamicList, Single("ip=10.0.0.1").HostCheck);
        Assert.Null(Single("ip=10.0.0.1").CanFenceStatically("node1"));
    }

    [Theory]
    [InlineData("pcmk_host_list=\"node1 node2\"", "node1", true)]
    [InlineData("pcmk_host_list=\"node1,node2\"", "node2", true)]
    [InlineData("pcmk_host_list=\"node1;node2\"", "NODE2", true)]
    [InlineData("pcmk_host_list=\"node1 node2\"", "node3", false)]
    [InlineData("pcmk_host_map=\"node1:vm-1;node2:vm-2\"", "node2", true)]
    [InlineData("pcmk_host_map=\"node1=vm-1 node2=vm-2\"", "node1", true)]
    [InlineData("pcmk_host_map=\"node1:vm-1\"", "node2", false)]
    [InlineData("pcmk_host_list=node1 pcmk_host_check=none", "node9", true)]
    public void CanFenceStatically_StaticListOrNone_AnswersFromTheConfiguration(string parameters, string node, bool expected) =>
        Assert.Equal(expected, Single(parameters).CanFenceStatically(node));

    [Fact]
    public void PlugFor_HostMap_MapsNodesIgnoringCaseElseTheNodeName()
    {
        var device = Single("""pcmk_host_map="node1:vm\:1;NODE2:vm-2;node1:vm-one" """);

        Assert.Equal("vm-one", device.PlugFor("node1"));
        Assert.Equal("vm-2", device.PlugFor("node2"));
        Assert.Equal("node3", device.PlugFor("node3"));
        Assert.Equal(HostCheck.StaticList, device.HostCheck);
    }

    [Fact]
    public void From_ExplicitHostCheck_OverridesTheDefault()
    {
        Assert.Equal(HostCheck.DynamicList, Single("pcmk_host_list=node1 pcmk_host_check=dynamic-list").HostCheck);
        Assert.Equal(HostCheck.Status, Single("pcmk_host_check=status").HostCheck);
    }

    [Fact]
    public void From_UnknownHostCheckAndBadValues_FallBackAndWarn()
    {
        var devices = Read("""
            primitive st stonith:fence_dummy params pcmk_host_list=node1 pcmk_host_check=maybe pcmk_delay_max=soon pcmk_off_action=explode pcmk_frobnicate=1 action=reboot
            """);

        var device = Assert.Single(devices.Devices);
        Assert.Equal(HostCheck.StaticList, device.HostCheck);
        Assert.Equal(TimeSpan.Zero, device.DelayMax);
        Assert.Equal(FenceAction.Off, device.AgentActionFor(FenceAction.Off));
        Assert.False(device.Parameters.ContainsKey("action"));
        Assert.Equal(
            [
                "fence device st: pcmk_host_check 'maybe' is not static-list, dynamic-list, status or none; using static-list",
                "fence device st: pcmk_off_action 'explode' is not a fence action",
                "fence device st: pcmk_delay_max 'soon' is not a duration",
                "fence device st: pcmk_frobnicate is not a Pacemaker fencing option; ignored",
                "fence device st: parameter 'action' is ignored: the fencer sets the action (use pcmk_off_action or pcmk_reboot_action)",
            ],
            devices.Warnings);
    }

    [Fact]
    public void AgentActionFor_RebootActionOverride_TellsTheAgentOff()
    {
        var device = Single("pcmk_reboot_action=off");

        Assert.Equal(FenceAction.Off, device.AgentActionFor(FenceAction.Reboot));
        Assert.Equal(FenceAction.Off, device.AgentActionFor(FenceAction.Off));
        Assert.Equal(FenceAction.Status, device.AgentActionFor(FenceAction.Status));
    }

    [Fact]
    public void TimeoutFor_PcmkTimeoutsAndMonitorOp_WinOverTheFallback()
    {
        var device = Single("pcmk_off_timeout=900 pcmk_list_timeout=2min", "op monitor interval=3600 timeout=120");
        var fallback = TimeSpan.FromSeconds(60);

        Assert.Equal(TimeSpan.FromSeconds(900), device.TimeoutFor(FenceAction.Off, fallback));
        Assert.Equal(TimeSpan.FromMinutes(2), device.TimeoutFor(FenceAction.List, fallback));
        Assert.Equal(TimeSpan.FromSeconds(120), device.TimeoutFor(FenceAction.Monitor, fallback));
        Assert.Equal(fallback, device.TimeoutFor(FenceAction.Reboot, fallback));
        Assert.Equal(fallback, device.TimeoutFor(FenceAction.Status, fallback));
    }

    [Fact]
    public void RequestFor_Target_PassesPlugNodenameAndParameters()
    {
        var device = Single("""login=admin pcmk_host_map="node2:vm-2" pcmk_reboot_action=off""");

        var request = device.RequestFor(FenceAction.Reboot, "node2", TimeSpan.FromSeconds(7));

        Assert.Equal(FenceAction.Off, request.Action);
        Assert.Equal("vm-2", request.Plug);
        Assert.Equal("node2", request.Parameters["nodename"]);
        Assert.Equal("admin", request.Parameters["login"]);
        Assert.Equal(TimeSpan.FromSeconds(7), request.Timeout);
    }

    [Theory]
    [InlineData("port", null, "vm-2")]
    [InlineData("none", null, null)]
    [InlineData("plug", "vm-2", null)]
    public void RequestFor_HostArgument_ChoosesWhereThePlugGoes(string argument, string? plug, string? port)
    {
        var device = Single($"""pcmk_host_map="node2:vm-2" pcmk_host_argument={argument}""");

        var request = device.RequestFor(FenceAction.Off, "node2", TimeSpan.FromSeconds(7));

        Assert.Equal(plug, request.Plug);
        Assert.Equal(port, request.Parameters.GetValueOrDefault("port"));
    }

    [Fact]
    public void RequestFor_DeviceAction_HasNoPlugOrNodename()
    {
        var request = Single("login=admin").RequestFor(FenceAction.List, null, TimeSpan.FromSeconds(7));

        Assert.Null(request.Plug);
        Assert.False(request.Parameters.ContainsKey("nodename"));
    }

    [Fact]
    public void DelayFor_BaseOnly_IsTheBaseForOffAndRebootOnly()
    {
        var device = Single("pcmk_delay_base=5s");
        var random = new Random(1);

        Assert.Equal(TimeSpan.FromSeconds(5), device.DelayFor(FenceAction.Off, "node1", random));
        Assert.Equal(TimeSpan.FromSeconds(5), device.DelayFor(FenceAction.Reboot, "node1", random));
        Assert.Equal(TimeSpan.Zero, device.DelayFor(FenceAction.Status, "node1", random));
        Assert.Equal(TimeSpan.Zero, device.DelayFor(FenceAction.List, "node1", random));
    }

    [Fact]
    public void DelayFor_PerNodeBase_AppliesToThatNodeOnly()
    {
        var device = Single("""pcmk_delay_base="node1:0;node2:10s" """);

        Assert.Equal(TimeSpan.Zero, device.DelayFor(FenceAction.Off, "node1", new Random(1)));
        Assert.Equal(TimeSpan.FromSeconds(10), device.DelayFor(FenceAction.Off, "node2", new Random(1)));
        Assert.Equal(TimeSpan.Zero, device.DelayFor(FenceAction.Off, "node3", new Random(1)));
    }

    [Fact]
    public void DelayFor_BaseAndMax_DrawsInTheHalfOpenRangeAndRepeatsWithTheSeed()
    {
        var device = Single("pcmk_delay_base=2s pcmk_delay_max=5s");

        var draws = Enumerable.Range(0, 200).Select(i => device.DelayFor(FenceAction.Off, "node1", new Random(i))).ToList();

        Assert.All(draws, d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1)));
        Assert.True(draws.Distinct().Count() > 100);
        Assert.Equal(device.DelayFor(FenceAction.Off, "node1", new Random(42)), device.DelayFor(FenceAction.Off, "node1", new Random(42)));
    }

    [Fact]
    public void DelayFor_BaseAboveMax_IsCutToTheMax() =>
        Assert.Equal(TimeSpan.FromSeconds(3), Single("pcmk_delay_base=10s pcmk_delay_max=3s").DelayFor(FenceAction.Off, "node1", new Random(1)));
}
