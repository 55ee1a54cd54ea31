using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Scheduling;

/// <summary>
/// What ClusterD does not do as Pacemaker would (more than one instance of a clone on a node, promoting a
/// clone of a group) is said in the decision's warnings, not left for the operator to discover.
/// </summary>
public sealed class CloneLimitWarningTests
{
    [Theory]
    [InlineData("clone c p meta clone-node-max=2", "clone c: clone-node-max=2, promoted-node-max=1: ClusterD runs at most one instance of a clone per node")]
    [InlineData("clone c p meta promotable=true promoted-node-max=2", "clone c: clone-node-max=1, promoted-node-max=2: ClusterD runs at most one instance of a clone per node")]
    [InlineData("clone c g meta promotable=true", "clone c: a promotable clone of a group is placed but never promoted by ClusterD")]
    public void CloneBeyondWhatClusterDRuns_IsNamedInTheWarnings(string clone, string warning)
    {
        var graph = Schedule(clone);

        Assert.Contains(graph.Warnings, w => w.StartsWith(warning, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("clone c p meta clone-max=2 clone-node-max=1")]
    [InlineData("clone c p meta promoted-node-max=2")] // not promotable: promoted-node-max means nothing
    [InlineData("clone c g")]
    public void CloneWithinWhatClusterDRuns_HasNoWarning(string clone)
    {
        var graph = Schedule(clone);

        Assert.DoesNotContain(graph.Warnings, w => w.StartsWith("clone c:", StringComparison.Ordinal));
    }

    private static TransitionGraph Schedule(string clone)
    {
        var config = CrmParser.Parse($"""
            primitive p ocf:pacemaker:Stateful
            primitive q ocf:pacemaker:Stateful
            group g q
            {clone}
            property stonith-enabled=false
            """).GetConfigOrThrow();
        return Scheduler.Schedule(config, ClusterStatus.AllOnline(["n1", "n2"]), null, TestContext.Current.CancellationToken);
    }
}
