using BenchmarkDotNet.Attributes;
using ClusterD.CibKit;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Benchmarks.ResourceManager;

/// <summary>
/// One scheduler run on a large cluster (<see cref="ScaleCluster.Cib"/>: 16 nodes, a fifth of the
/// primitives in groups of 4, locations and colocations, a fence device), imported from its CIB
/// once: from a cold start (everything starts) and with one node lost (fence it, move its
/// resources). 100, 1,000 and 10,000 primitives show how the time grows. Target: 10,000 in under
/// 100 ms and 200 MB allocated.
/// </summary>
// The garbage collector clusterd and clusterctl run the scheduler with (their project files).
[DaemonGc]
public class SchedulerScaleBenchmarks
{
    private ClusterConfig _config = ClusterConfig.Empty;
    private ClusterStatus _status = ClusterStatus.Empty;

    [Params(100, 1_000, 10_000)]
    public int Primitives { get; set; }

    [Params(ScaleCase.ColdStart, ScaleCase.NodeLost)]
    public ScaleCase Case { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_config, _status) = Imported(ScaleCluster.Cib(Primitives, Case));

        // Fail early, not in the measurement, when the cluster is not what it says.
        var graph = Scheduler.Schedule(_config, _status);
        var fences = graph.Actions.Count(a => a.Op == TransitionOp.Fence);
        if (graph.Placement.Length < Primitives * 9 / 10 || fences != (Case == ScaleCase.NodeLost ? 1 : 0))
        {
            throw new InvalidOperationException($"{Case} {Primitives}: {graph.Placement.Length} placed, {fences} fences");
        }
    }

    [Benchmark]
    public int Schedule() => Scheduler.Schedule(_config, _status).Actions.Length;

    internal static (ClusterConfig Config, ClusterStatus Status) Imported(string cib)
    {
        var imported = CibImporter.Import(cib, "scale.xml");
        if (!imported.Succeeded || imported.Status is null)
        {
            throw new InvalidOperationException(string.Join("; ", imported.Errors));
        }

        return (imported.Config, imported.Status);
    }
}
