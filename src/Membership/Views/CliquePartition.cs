using System.Numerics;

namespace ClusterD.Membership.Views;

/// <summary>
/// Splits nodes into views that every node computes identically from the same connectivity:
/// repeatedly take the best maximal clique of the nodes left (more nodes first, then the one
/// holding the lowest node index where two candidates differ), until the asking node is taken.
/// A view is a clique, so every member hears every other member both ways, which is what
/// asymmetric and non-transitive link failures need. Bitmaps index the nodelist (at most 32).
/// </summary>
public static class CliquePartition
{
    /// <param name="me">Index of the asking node.</param>
    /// <param name="adjacency">For every node index, the bitmap of nodes it is connected to both ways (not itself).</param>
    /// <param name="count">Number of nodes.</param>
    public static uint ComponentOf(int me, ReadOnlySpan<uint> adjacency, int count)
    {
        var remaining = count == 32 ? uint.MaxValue : (1u << count) - 1;
        while (true)
        {
            var best = BestClique(adjacency, remaining);
            if ((best & (1u << me)) != 0 || best == 0)
            {
                return best == 0 ? 1u << me : best;
            }

            remaining &= ~best;
        }
    }

    /// <summary>True when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    public static bool IsBetter(uint a, uint b)
    {
        var sizeA = BitOperations.PopCount(a);
        var sizeB = BitOperations.PopCount(b);
        if (sizeA != sizeB)
        {
            return sizeA > sizeB;
        }

        var differ = a ^ b;
        return differ != 0 && (a & (differ & (uint)-(int)differ)) != 0;
    }

    private static uint BestClique(ReadOnlySpan<uint> adjacency, uint candidates)
    {
        var best = 0u;
        BronKerbosch(adjacency, 0, candidates, 0, ref best);
        return best;
    }

    // Bron–Kerbosch with pivoting (Tomita et al. 2006) over bitmaps: r is the clique so far,
    // p the nodes that can extend it, x the nodes already tried.
    private static void BronKerbosch(ReadOnlySpan<uint> adjacency, uint r, uint p, uint x, ref uint best)
    {
        if (p == 0 && x == 0)
        {
            if (best == 0 || IsBetter(r, best))
            {
                best = r;
            }

            return;
        }

        if (BitOperations.PopCount(r) + BitOperations.PopCount(p) < BitOperations.PopCount(best))
        {
            return; // cannot beat the best clique's size
        }

        var pivot = BitOperations.TrailingZeroCount(p | x);
        var choices = p & ~adjacency[pivot];
        while (choices != 0)
        {
            var v = BitOperations.TrailingZeroCount(choices);
            var bit = 1u << v;
            choices &= ~bit;
            BronKerbosch(adjacency, r | bit, p & adjacency[v], x & adjacency[v], ref best);
            p &= ~bit;
            x |= bit;
        }
    }
}
