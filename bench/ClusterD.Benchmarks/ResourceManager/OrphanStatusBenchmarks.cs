using BenchmarkDotNet.Attributes;
using ClusterD.CibKit;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Benchmarks.ResourceManager;

/// <summary>
/// What <c>clusterctl simulate --run</c> does with a status naming thousands of resources the
/// configuration does not have (<see cref="ScaleCluster.Orphans"/>): schedule their stops, execute
/// them as if they succeeded, record the results and schedule again until nothing is left. Recording
/// and executing must stay linear in the number of actions.
/// </summary>
// The garbage collector clusterd and clusterctl run the scheduler with (their project files).
[DaemonGc]
public class OrphanStatusBenchmarks
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

    private ClusterConfig _config = ClusterConfig.Empty;
    private ClusterStatus _status = ClusterStatus.Empty;
    private TransitionExecutor _executor = null!;

    [Params(1_000, 10_000)]
    public int Orphans { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_config, _status) = SchedulerScaleBenchmarks.Imported(ScaleCluster.Orphans(Orphans));
        _executor = new TransitionExecutor(ExpectedResultRunner.Instance, TimeProvider.System);
        var outcome = Run().GetAwaiter().GetResult();
        if (!outcome.Settled || outcome.Status.Resources.Any(r => r.Id.StartsWith("orphan", StringComparison.Ordinal) && !r.Instances.IsEmpty))
        {
            throw new InvalidOperationException("the orphans were not all stopped");
        }
    }

    [Benchmark]
    public async Task<int> SimulateRun() => (await Run()).Steps.Length;

    private Task<LoopOutcome> Run() => TransitionLoop.RunAsync(_config, _status, _executor, Now, 10, CancellationToken.None, probe: false);
}
