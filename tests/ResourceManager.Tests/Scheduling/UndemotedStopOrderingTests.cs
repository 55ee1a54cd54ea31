using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Scheduling;

public sealed class UndemotedStopOrderingTests
{
    private const string Crm = """
        primitive drbd ocf:pacemaker:Stateful
        clone ms drbd meta promotable=true promoted-max=1 clone-max=2
        primitive fs ocf:heartbeat:Dummy
        primitive db ocf:heartbeat:Dummy
        group mysql fs db
        colocation mysql_on_drbd inf: mysql ms:Promoted
        order mysql_after_drbd Mandatory: ms:promote mysql:start
        property stonith-enabled=false
        """;

    /// <summary>
    /// A failed clone instance (its role unknown, so it may be the promoted one) is stopped without a demote;
    /// the group ordered after its promotion must stop on that node before it, as it would before a demote.
    /// </summary>
    [Fact]
    public void FailedPromotableInstance_StoppedWithoutDemote_WaitsForTheGroupStopOnItsNode()
    {
        var config = CrmParser.Parse(Crm).GetConfigOrThrow();
        var status = ClusterStatus.AllOnline(["n1", "n2"]) with
        {
            Resources =
            [
                new ResourceStatus("db", "ocf:heartbeat:Dummy", [new ResourceInstance("n1", InstanceRole.Started)]),
                new ResourceStatus("drbd", "ocf:pacemaker:Stateful", [new ResourceInstance("n1", InstanceRole.Failed), new ResourceInstance("n2", InstanceRole.Unpromoted)]),
                new ResourceStatus("fs", "ocf:heartbeat:Dummy", [new ResourceInstance("n1", InstanceRole.Started)]),
            ],
        };

        var graph = Scheduler.Schedule(config, status, null, TestContext.Current.CancellationToken);

        var stopDrbd = graph.Find("stop:drbd@n1");
        Assert.NotNull(stopDrbd);
        Assert.Null(graph.Find("demote:drbd@n1"));
        Assert.True(graph.Precedes("stop:fs@n1", "stop:drbd@n1"), string.Join(", ", graph.After("stop:drbd@n1")));
        Assert.True(graph.Precedes("stop:db@n1", "stop:drbd@n1"));
    }
}
