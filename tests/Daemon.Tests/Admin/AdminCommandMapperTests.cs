using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using ClusterD.Daemon.Admin;
using ClusterD.ResourceManager.Configuration;
using Grpc.Core;

namespace ClusterD.Daemon.Tests.Admin;

public sealed class AdminCommandMapperTests
{
    private const string Crm = """
        node node1
        node node2
        primitive p_dummy ocf:pacemaker:Dummy op monitor interval=10s
        property stonith-enabled=false
        """;

    [Fact]
    public void ToCommand_StandbyWithoutNode_TheAnsweringDaemonsNode()
    {
        Assert.Equal(new SetStandby("node1", true), AdminCommandMapper.ToCommand(new StandbyRequest { On = true }, "node1"));
        Assert.Equal(new SetStandby("node2", false), AdminCommandMapper.ToCommand(new StandbyRequest { Node = "node2" }, "node1"));
    }

    [Fact]
    public void ToCommand_CleanupWithoutNode_EveryNode()
    {
        Assert.Equal(new CleanupResource("p_dummy", null), AdminCommandMapper.ToCommand(new CleanupRequest { Resource = "p_dummy" }));
    }

    [Fact]
    public void ToCommand_MoveWithoutNode_InvalidArgument()
    {
        var e = Assert.Throws<RpcException>(() => AdminCommandMapper.ToCommand(new MoveResourceRequest { Resource = "p_dummy" }));

        Assert.Equal((StatusCode.InvalidArgument, "a node is required"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public void ToCommand_CrmText_ParsedWhole()
    {
        var (command, warnings) = AdminCommandMapper.ToCommand(new LoadConfigurationRequest { Text = Crm, Replace = true, Name = "cluster.crm" });

        var load = Assert.IsType<LoadConfiguration>(command);
        Assert.True(load.Replace);
        Assert.Equal("p_dummy", Assert.Single(load.Config.Primitives).Id);
        Assert.Empty(warnings);
    }

    [Fact]
    public void ToCommand_CrmWithErrors_InvalidArgumentNamingFileAndLine()
    {
        var text = Crm + "\nprimitive broken ocf:pacemaker:Dummy op monitor interval=\ncolocation\n";

        var e = Assert.Throws<RpcException>(() => AdminCommandMapper.ToCommand(new LoadConfigurationRequest { Text = text, Name = "cluster.crm" }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("cluster.crm:", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(AdminTrailers.Refusal, e.Trailers.Single().Key);
    }

    [Fact]
    public void ToCommand_CibText_ReadAsCib()
    {
        const string cib = """
            <cib admin_epoch="2" epoch="9" num_updates="0">
              <configuration>
                <crm_config/>
                <nodes><node id="1" uname="node1"/></nodes>
                <resources><primitive id="p_dummy" class="ocf" provider="pacemaker" type="Dummy"/></resources>
                <constraints/>
              </configuration>
            </cib>
            """;

        var (command, _) = AdminCommandMapper.ToCommand(new LoadConfigurationRequest { Text = cib });

        var load = Assert.IsType<LoadConfiguration>(command);
        Assert.False(load.Replace);
        Assert.Equal(new ConfigVersion(2, 9), load.Config.Version);
    }

    [Fact]
    public void ToCommand_NameWithNewlines_EchoedOnOneLine()
    {
        var e = Assert.Throws<RpcException>(() => AdminCommandMapper.ToCommand(new LoadConfigurationRequest { Text = "bogus", Name = "a\nb" }));

        Assert.StartsWith("a?b:", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToReply_Config_CanonicalCrmAndVersion()
    {
        var config = CrmParser.Parse(Crm, "cluster.crm").GetConfigOrThrow() with { Version = new ConfigVersion(1, 4) };

        var reply = AdminCommandMapper.ToReply(config);

        Assert.Equal((1, 4), (reply.AdminEpoch, reply.Epoch));
        Assert.Equal(config with { Version = default }, CrmParser.Parse(reply.Crm, "shown.crm").GetConfigOrThrow() with { Version = default });
    }
}
