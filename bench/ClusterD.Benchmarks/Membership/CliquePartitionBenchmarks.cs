using BenchmarkDotNet.Attributes;
using ClusterD.Membership.Views;

namespace ClusterD.Benchmarks.Membership;

/// <summary>The view target computation, run whenever the connectivity matrix changes.</summary>
public class CliquePartitionBenchmarks
{
    private uint[] _adjacency = [];

    [Params(2, 16, 32)]
    public int Nodes { get; set; }

    /// <summary>Complete graph (normal operation) or every node missing one random edge (a messy partial partition).</summary>
    [Params(false, true)]
    public bool Damaged { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var all = Nodes == 32 ? uint.MaxValue : (1u << Nodes) - 1;
        _adjacency = Enumerable.Range(0, Nodes).Select(i => all & ~(1u << i)).ToArray();
        if (Damaged)
        {
            var random = new Random(7);
            for (var i = 0; i < Nodes; i++)
            {
                var j = random.Next(Nodes);
                if (j != i)
                {
                    _adjacency[i] &= ~(1u << j);
                    _adjacency[j] &= ~(1u << i);
                }
            }
        }
    }

    [Benchmark]
    public uint ComponentOfNodeZero() => CliquePartition.ComponentOf(0, _adjacency, Nodes);
}
