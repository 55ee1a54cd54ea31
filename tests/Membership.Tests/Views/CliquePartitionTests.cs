using System.Numerics;
using ClusterD.Membership.Views;

namespace ClusterD.Membership.Tests.Views;

public sealed class CliquePartitionTests
{
    private const int A = 0;
    private const int B = 1;
    private const int C = 2;

    /// <summary>Symmetric adjacency bitmaps for <paramref name="count"/> nodes from undirected edges.</summary>
    private static uint[] Graph(int count, params (int From, int To)[] edges)
    {
        var adjacency = new uint[count];
        foreach (var (from, to) in edges)
        {
            adjacency[from] |= 1u << to;
            adjacency[to] |= 1u << from;
        }

        return adjacency;
    }

    private static uint[] Complete(int count) =>
        Enumerable.Range(0, count).Select(i => (count == 32 ? uint.MaxValue : (1u << count) - 1) & ~(1u << i)).ToArray();

    private static uint Bits(params int[] nodes) => nodes.Aggregate(0u, (m, n) => m | (1u << n));

    private static uint[] ComponentsOfAll(uint[] adjacency) =>
        Enumerable.Range(0, adjacency.Length).Select(me => CliquePartition.ComponentOf(me, adjacency, adjacency.Length)).ToArray();

    [Fact]
    public void ComponentOf_CompleteGraph_EveryoneTogether()
    {
        Assert.All(ComponentsOfAll(Complete(5)), c => Assert.Equal(Bits(0, 1, 2, 3, 4), c));
    }

    [Fact]
    public void ComponentOf_Complete32Nodes_AllBitsSet()
    {
        Assert.All(ComponentsOfAll(Complete(32)), c => Assert.Equal(uint.MaxValue, c));
    }

    [Fact]
    public void ComponentOf_SingleNode_Itself()
    {
        Assert.Equal(1u, CliquePartition.ComponentOf(0, [0u], 1));
    }

    [Fact]
    public void ComponentOf_ChainAbBcWithoutAc_AbTogetherAndCAlone()
    {
        var adjacency = Graph(3, (A, B), (B, C));

        Assert.Equal([Bits(A, B), Bits(A, B), Bits(C)], ComponentsOfAll(adjacency));
    }

    [Fact]
    public void ComponentOf_NoEdges_Singletons()
    {
        Assert.Equal([Bits(0), Bits(1), Bits(2), Bits(3)], ComponentsOfAll(new uint[4]));
    }

    [Fact]
    public void ComponentOf_OneWayLinksOnly_Singletons()
    {
        // Adjacency holds only links that work both ways, so one-way hearing gives no edge at all.
        var adjacency = Graph(3);

        Assert.Equal([Bits(A), Bits(B), Bits(C)], ComponentsOfAll(adjacency));
    }

    [Fact]
    public void ComponentOf_TwoDisjointTriangles_EachTriangleTogether()
    {
        var adjacency = Graph(6, (0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5));

        Assert.Equal([Bits(0, 1, 2), Bits(0, 1, 2), Bits(0, 1, 2), Bits(3, 4, 5), Bits(3, 4, 5), Bits(3, 4, 5)], ComponentsOfAll(adjacency));
    }

    [Fact]
    public void ComponentOf_TwoEqualCliquesSharingNoNode_TieGoesToLowestIndex()
    {
        // {1,2} and {0,3}: same size, and the one holding node 0 wins.
        var adjacency = Graph(4, (1, 2), (0, 3));

        Assert.Equal([Bits(0, 3), Bits(1, 2), Bits(1, 2), Bits(0, 3)], ComponentsOfAll(adjacency));
    }

    [Fact]
    public void ComponentOf_StarGraph_HubTakesLowestLeaf()
    {
        var adjacency = Graph(4, (0, 1), (0, 2), (0, 3));

        Assert.Equal([Bits(0, 1), Bits(0, 1), Bits(2), Bits(3)], ComponentsOfAll(adjacency));
    }

    [Fact]
    public void ComponentOf_LargerCliqueWithHigherIndices_BeatsSmallerWithLowest()
    {
        var adjacency = Graph(5, (0, 1), (2, 3), (3, 4), (2, 4));

        Assert.Equal([Bits(0, 1), Bits(0, 1), Bits(2, 3, 4), Bits(2, 3, 4), Bits(2, 3, 4)], ComponentsOfAll(adjacency));
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(0, 15)]
    [InlineData(14, 15)]
    [InlineData(0, 1)]
    public void ComponentOf_16NodesMissingOneEdge_HigherEndOfTheMissingEdgeAlone(int i, int j)
    {
        var adjacency = Complete(16);
        adjacency[i] &= ~(1u << j);
        adjacency[j] &= ~(1u << i);
        var withoutJ = 0xFFFFu & ~(1u << j);

        var components = ComponentsOfAll(adjacency);

        for (var me = 0; me < 16; me++)
        {
            Assert.Equal(me == j ? 1u << j : withoutJ, components[me]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ComponentOf_RandomGraphs_MatchesBruteForceAndFormsAPartitionOfCliques(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var count = random.Next(1, 9);
            var density = random.NextDouble();
            var adjacency = new uint[count];
            for (var a = 0; a < count; a++)
            {
                for (var b = a + 1; b < count; b++)
                {
                    if (random.NextDouble() < density)
                    {
                        adjacency[a] |= 1u << b;
                        adjacency[b] |= 1u << a;
                    }
                }
            }

            var expected = BruteForcePartition(adjacency);
            var graph = string.Join(",", adjacency.Select(m => m.ToString("x", null)));
            for (var me = 0; me < count; me++)
            {
                var component = CliquePartition.ComponentOf(me, adjacency, count);
                var reference = expected.Single(c => (c & (1u << me)) != 0);
                Assert.True(reference == component,
                    $"seed {seed} round {round} graph [{graph}] node {me}: expected {reference:x}, got {component:x}");
            }
        }
    }

    /// <summary>The specification, the slow way: repeatedly take the best clique of the nodes left.</summary>
    private static List<uint> BruteForcePartition(uint[] adjacency)
    {
        var remaining = (1u << adjacency.Length) - 1;
        var parts = new List<uint>();
        while (remaining != 0)
        {
            var best = 0u;
            for (var subset = remaining; subset != 0; subset = (subset - 1) & remaining)
            {
                if (IsClique(subset, adjacency) && (best == 0 || CliquePartition.IsBetter(subset, best)))
                {
                    best = subset;
                }
            }

            parts.Add(best);
            remaining &= ~best;
        }

        return parts;
    }

    private static bool IsClique(uint set, uint[] adjacency)
    {
        for (var rest = set; rest != 0; rest &= rest - 1)
        {
            var v = BitOperations.TrailingZeroCount(rest);
            if ((set & ~(1u << v) & ~adjacency[v]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    [Theory]
    [InlineData(0b0111u, 0b1000u, true)] // more nodes win
    [InlineData(0b1000_0000u, 0b0110u, false)] // fewer nodes lose even with no lower index
    [InlineData(0b0101u, 0b0110u, true)] // equal size: node 0 decides
    [InlineData(0b0110u, 0b0101u, false)]
    [InlineData(0b1001u, 0b0110u, true)] // equal size: lowest differing index is 0
    [InlineData(0b1010u, 0b1100u, true)] // equal size: common node 3 ignored, node 1 decides
    [InlineData(0b0011u, 0b0011u, false)] // never better than itself
    [InlineData(0u, 0u, false)]
    [InlineData(0x4000_0000u, 0x8000_0000u, true)] // bit 30 beats bit 31
    [InlineData(0x8000_0000u, 0x4000_0000u, false)]
    [InlineData(0x8000_0001u, 0x8000_0002u, true)]
    [InlineData(uint.MaxValue, 0x7FFF_FFFFu, true)]
    public void IsBetter_Pair_RanksBySizeThenLowestIndex(uint a, uint b, bool better)
    {
        Assert.Equal(better, CliquePartition.IsBetter(a, b));
    }

    [Fact]
    public void IsBetter_RandomDistinctPairs_ExactlyOneIsBetter()
    {
        const int seed = 2024;
        var random = new Random(seed);
        for (var i = 0; i < 10_000; i++)
        {
            var a = (uint)random.NextInt64(0, 1L << 32);
            var b = random.Next(4) == 0 ? a ^ (1u << random.Next(32)) : (uint)random.NextInt64(0, 1L << 32);
            if (a == b)
            {
                continue;
            }

            Assert.True(CliquePartition.IsBetter(a, b) != CliquePartition.IsBetter(b, a), $"seed {seed}: {a:x} vs {b:x}");
        }
    }

    [Fact]
    public void IsBetter_RandomTriples_Transitive()
    {
        const int seed = 77;
        var random = new Random(seed);
        for (var i = 0; i < 10_000; i++)
        {
            var sets = Enumerable.Range(0, 3).Select(_ => (uint)random.Next(0, 1 << 6)).ToArray();
            if (CliquePartition.IsBetter(sets[0], sets[1]) && CliquePartition.IsBetter(sets[1], sets[2]))
            {
                Assert.True(CliquePartition.IsBetter(sets[0], sets[2]), $"seed {seed}: {sets[0]:x} > {sets[1]:x} > {sets[2]:x}");
            }
        }
    }
}
