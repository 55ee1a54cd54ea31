using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace ClusterD.Benchmarks;

/// <summary>The one configuration every suite shares: a short job (the machines are shared and noisy) and allocation counts.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance); // loggers, exporters and columns
        AddJob(Job.ShortRun.WithId("short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        WithOptions(ConfigOptions.JoinSummary);

        // The generated project is built on a shared machine: two minutes (the default) is not always enough.
        WithBuildTimeout(TimeSpan.FromMinutes(15));
    }
}
