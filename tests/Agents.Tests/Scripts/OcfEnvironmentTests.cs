using ClusterD.Agents.Scripts;

namespace ClusterD.Agents.Tests.Scripts;

public sealed class OcfEnvironmentTests
{
    [Fact]
    public void Notify_PassesTypeOperationAndListsUnderNewAndLegacyNames()
    {
        var request = new AgentRequest(AgentAction.Notify, "drbd:0")
        {
            Notification = new AgentNotification(NotifyType.Pre, AgentAction.Promote)
            {
                Promote = [new NotifyInstance("drbd:1", "node2")],
                Active = [new NotifyInstance("drbd:0", "node1"), new NotifyInstance("drbd:1", "node2")],
                Unpromoted = [new NotifyInstance("drbd:0", "node1"), new NotifyInstance("drbd:1", "node2")],
                Inactive = [new NotifyInstance("drbd:2", "")],
                AllNodes = ["node1", "node2"],
                AvailableNodes = ["node1", "node2"],
            },
        };

        var env = OcfEnvironment.Build(AgentName.Parse("ocf:linbit:drbd"), request, new ScriptAgentOptions());

        Assert.Equal("pre", env["OCF_RESKEY_CRM_meta_notify_type"]);
        Assert.Equal("promote", env["OCF_RESKEY_CRM_meta_notify_operation"]);
        Assert.Equal("drbd:1", env["OCF_RESKEY_CRM_meta_notify_promote_resource"]);
        Assert.Equal("node2", env["OCF_RESKEY_CRM_meta_notify_promote_uname"]);
        Assert.Equal("drbd:0 drbd:1", env["OCF_RESKEY_CRM_meta_notify_active_resource"]);
        Assert.Equal("node1 node2", env["OCF_RESKEY_CRM_meta_notify_slave_uname"]);
        Assert.Equal("node1 node2", env["OCF_RESKEY_CRM_meta_notify_unpromoted_uname"]);
        Assert.Equal(" ", env["OCF_RESKEY_CRM_meta_notify_master_resource"]);
        Assert.Equal("drbd:2", env["OCF_RESKEY_CRM_meta_notify_inactive_resource"]);
        Assert.False(env.ContainsKey("OCF_RESKEY_CRM_meta_notify_inactive_uname"));
        Assert.Equal(("pre", "promote"), (env["OCF_RESKEY_CRM_meta_notify_key_type"], env["OCF_RESKEY_CRM_meta_notify_key_operation"]));
        Assert.Equal("node1 node2", env["OCF_RESKEY_CRM_meta_notify_all_uname"]);
        Assert.Equal(" ", env["OCF_RESKEY_CRM_meta_notify_stop_resource"]);
    }

    [Theory]
    [InlineData(false, "stopped")]
    [InlineData(true, "stonith")]
    public void PostStopNotification_KeyOperation_SaysWhetherAFenceStoodForTheStop(bool afterFencing, string keyOperation)
    {
        var request = new AgentRequest(AgentAction.Notify, "drbd:0")
        {
            Notification = new AgentNotification(NotifyType.Post, AgentAction.Stop) { Stop = [new NotifyInstance("drbd:1", "node2")], AfterFencing = afterFencing },
        };

        var env = OcfEnvironment.Build(AgentName.Parse("ocf:linbit:drbd"), request, new ScriptAgentOptions());

        Assert.Equal(("post", "stop"), (env["OCF_RESKEY_CRM_meta_notify_type"], env["OCF_RESKEY_CRM_meta_notify_operation"]));
        Assert.Equal(("post", keyOperation), (env["OCF_RESKEY_CRM_meta_notify_key_type"], env["OCF_RESKEY_CRM_meta_notify_key_operation"]));
    }

    [Fact]
    public void MetaTimeoutAndInterval_AreMillisecondsAndWinOverMeta()
    {
        var request = new AgentRequest(AgentAction.Monitor, "r")
        {
            Meta = new Dictionary<string, string> { ["timeout"] = "1", ["interval"] = "2" },
            Timeout = TimeSpan.FromSeconds(20),
            Interval = TimeSpan.FromMilliseconds(1500),
        };

        var env = OcfEnvironment.Build(AgentName.Parse("ocf:heartbeat:Dummy"), request, new ScriptAgentOptions());

        Assert.Equal("20000", env["OCF_RESKEY_CRM_meta_timeout"]);
        Assert.Equal("1500", env["OCF_RESKEY_CRM_meta_interval"]);
        Assert.Equal("/usr/lib/ocf/lib/heartbeat", env["OCF_FUNCTIONS_DIR"]);
        Assert.Equal("/run/resource-agents", env["HA_RSCTMP"]);
        Assert.Equal("0", env["OCF_CHECK_LEVEL"]);
        Assert.False(env.ContainsKey("OCF_RESKEY_CRM_meta_on_node"));
    }

    [Theory]
    [InlineData("no reason here", null)]
    [InlineData("ocf-exit-reason:", null)]
    [InlineData("x\nocf-exit-reason: spaced out \ny", "spaced out")]
    [InlineData("Nov 27 INFO: ocf-exit-reason:prefixed", "prefixed")]
    public void FindExitReason_TakesTheLastNonEmptyMarkedLine(string output, string? expected) =>
        Assert.Equal(expected, OcfEnvironment.FindExitReason(output));

    [Theory]
    [InlineData("bad/instance")]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("with space")]
    public void Request_UnsafeInstance_IsRejected(string instance) =>
        Assert.Throws<ArgumentException>(() => new AgentRequest(AgentAction.Start, instance).Validate());

    [Fact]
    public void Request_UnsafeParameterName_IsRejected() =>
        Assert.Throws<ArgumentException>(() => new AgentRequest(AgentAction.Start, "r")
        {
            Parameters = new Dictionary<string, string> { ["a=b"] = "1" },
        }.Validate());
}
