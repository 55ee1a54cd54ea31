using System.Diagnostics;
using System.Globalization;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>
/// Seeded random fault schedules on a whole two-node cluster (<see cref="WholeClusterSim"/>): a fixed set
/// for CI, a longer run by environment variable, and the replay of one seed.
/// <code>
/// CLUSTERD_SIM_SEEDS=20000 dotnet test tests/Simulation.Tests -c Release --filter FullyQualifiedName~FaultSimulationTests.LongRun --logger "console;verbosity=detailed"
/// CLUSTERD_SIM_REPLAY=1234 dotnet test tests/Simulation.Tests -c Release --filter FullyQualifiedName~FaultSimulationTests.Replay --logger "console;verbosity=detailed"
/// </code>
/// </summary>
public sealed class FaultSimulationTests
{
    /// <summary>Seeds 1..1000 in batches of <see cref="Batch"/>; each batch runs its seeds on every core.</summary>
    public const int CiSeeds = 1000;

    public const int Batch = 50;

    public static TheoryData<int> Batches => [.. Enumerable.Range(0, CiSeeds / Batch).Select(b => 1 + (b * Batch))];

    [Theory]
    [MemberData(nameof(Batches))]
    public void RandomFaults_SeedBatch_SafeAtEveryStepAndConverges(int firstSeed)
    {
        var failures = Run(Enumerable.Range(firstSeed, Batch));

        Assert.True(failures.Count == 0, Report(failures));
    }

    [Fact]
    public void RandomFaults_SameSeedTwice_IdenticalTrace()
    {
        var first = FaultRun.Execute(4242);
        var second = FaultRun.Execute(4242);

        Assert.True(first.Trace.Count > 100, "the run did something");
        Assert.Equal(first.Trace, second.Trace);
    }

    [Fact]
    public void LongRun_SeedsFromEnvironment_NoFailures()
    {
        var count = Environment.GetEnvironmentVariable("CLUSTERD_SIM_SEEDS");
        Assert.SkipWhen(string.IsNullOrEmpty(count), "set CLUSTERD_SIM_SEEDS=N (and optionally CLUSTERD_SIM_FIRST_SEED) for the long run");
        var first = int.Parse(Environment.GetEnvironmentVariable("CLUSTERD_SIM_FIRST_SEED") ?? "100000", CultureInfo.InvariantCulture);
        var seeds = Enumerable.Range(first, int.Parse(count, CultureInfo.InvariantCulture)).ToList();
        var clock = Stopwatch.StartNew();
        var failures = Run(seeds);

        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"{seeds.Count} runs (seeds {first}..{first + seeds.Count - 1}), {failures.Count} failures, {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var failure in failures)
        {
            output.WriteLine($"seed {failure.Seed}: {failure.Failure}");
        }

        Assert.True(failures.Count == 0, Report(failures));
    }

    [Fact]
    public void Replay_SeedFromEnvironment_PrintsTheWholeTrace()
    {
        var seed = Environment.GetEnvironmentVariable("CLUSTERD_SIM_REPLAY");
        Assert.SkipWhen(string.IsNullOrEmpty(seed), "set CLUSTERD_SIM_REPLAY=SEED to replay one seed with its whole trace");
        var result = FaultRun.Execute(int.Parse(seed, CultureInfo.InvariantCulture));

        TestContext.Current.TestOutputHelper!.WriteLine(result.Describe(tail: int.MaxValue));
        Assert.True(result.Passed, result.Failure);
    }

    /// <summary>Runs the seeds on every core; returns the failed runs by seed.</summary>
    private static List<FaultRunResult> Run(IEnumerable<int> seeds)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<FaultRunResult>();
        Parallel.ForEach(seeds, new ParallelOptions { CancellationToken = TestContext.Current.CancellationToken }, seed =>
        {
            var result = FaultRun.Execute(seed);
            if (!result.Passed)
            {
                failures.Add(result);
            }
        });
        return [.. failures.OrderBy(f => f.Seed)];
    }

    /// <summary>Every failed seed with its reason, then the first one's schedule and trace (each replays with CLUSTERD_SIM_REPLAY).</summary>
    private static string Report(List<FaultRunResult> failures) =>
        failures.Count == 0 ? ""
            : $"{failures.Count} seeds failed: {string.Join("; ", failures.Select(f => $"{f.Seed} ({f.Failure})"))}\n\n{failures[0].Describe()}";
}
