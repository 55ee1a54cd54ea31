using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// ClusterD on the same CIB, in process as <c>clusterctl simulate --config cib.xml</c> runs it: the CIB
/// imported with its status, then one <see cref="Scheduler.Schedule"/>. A CIB ClusterD refuses is an
/// outcome with the import errors.
/// </summary>
internal static class ClusterDSide
{
    /// <summary>The time failure-timeout would be measured against (no generated resource sets one).</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

    public static Outcome Run(RandomCluster cluster) => Run(cluster, out _);

    public static Outcome Run(RandomCluster cluster, out TransitionGraph? graph)
    {
        graph = null;
        var imported = CibImporter.Import(cluster.Xml, "cib.xml");
        if (!imported.Succeeded || imported.Status is null)
        {
            return Outcome.Failed("ClusterD refused the CIB: " + string.Join("; ", imported.Errors));
        }

        graph = Scheduler.Schedule(imported.Config, imported.Status, Now);
        return Outcome.From(
            cluster,
            graph.Actions
                .Where(a => Outcome.IsCompared(a.OpName))
                .Select(a => (a.OpName, a.Op == TransitionOp.Fence ? "" : a.Resource, a.Node)));
    }
}
