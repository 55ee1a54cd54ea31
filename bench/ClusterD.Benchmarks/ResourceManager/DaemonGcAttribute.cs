using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace ClusterD.Benchmarks.ResourceManager;

/// <summary>
/// The garbage collector clusterd and clusterctl run the scheduler with (their project files): no background
/// collection, and <c>System.GC.LOHThreshold</c> at 2 MiB, given to the benchmark process as its environment variable.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class DaemonGcAttribute : JobMutatorConfigBaseAttribute
{
    public DaemonGcAttribute()
        : base(Job.Default.WithGcConcurrent(false).WithEnvironmentVariables(new EnvironmentVariable("DOTNET_GCLOHThreshold", "0x200000")))
    {
    }
}
