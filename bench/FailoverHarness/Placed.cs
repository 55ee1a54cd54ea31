using ClusterD.TestKit.Resources;

namespace ClusterD.FailoverHarness;

/// <summary>Waits for the seed's shape to be placed on a <see cref="ResourceBed"/>.</summary>
internal static class Placed
{
    /// <summary>The node running the Promoted instance and the whole group once the other runs the Unpromoted one; null after <paramref name="limit"/>.</summary>
    public static async Task<int?> WaitAsync(ResourceBed bed, TimeSpan limit)
    {
        int? active = null;
        var placed = await bed.WaitUntilAsync(
            () => (active = bed.Active()) is { } a && bed.RoleOn(1 - a, SeedShape.Drbd) == "Unpromoted", limit, CancellationToken.None);
        return placed ? active : null;
    }
}
