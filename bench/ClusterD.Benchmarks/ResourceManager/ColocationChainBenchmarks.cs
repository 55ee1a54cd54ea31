using BenchmarkDotNet.Attributes;
using ClusterD.CibKit;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Benchmarks.ResourceManager;

/// <summary>
/// One scheduler run on a chain of INFINITY colocations (<see cref="ScaleCluster.ColocationChain"/>:
/// each primitive follows the one before it, cold start on 3 nodes). Placement must stay linear in
/// the length of the chain (it used to place each link after scanning every colocation).
/// </summary>
// The garbage collector clusterd and clusterctl run the scheduler with (their project files).
[DaemonGc]
public class ColocationChainBenchmarks
{
    private ClusterConfig _config = ClusterConfig.Empty;
    private ClusterStatus _status = ClusterStatus.Empty;

    [Params(2_500, 20_000)]
    public int Colocations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_config, _status) = SchedulerScaleBenchmarks.Imported(ScaleCluster.ColocationChain(Colocations));
        if (Scheduler.Schedule(_config, _status).Placement.Length != Colocations + 1)
        {
            throw new InvalidOperationException("the chain is not placed whole");
        }
    }

    [Benchmark]
    public int Schedule() => Scheduler.Schedule(_config, _status).Actions.Length;
}
