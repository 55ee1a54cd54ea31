namespace ClusterD.Membership.Heartbeats;

/// <summary>
/// What one node hears: <see cref="Heard"/> has bit i set when the node at nodelist index i is
/// alive from the owner's point of view. Versioned by the owner's incarnation and a counter the
/// owner raises on every change, so gossip converges on the newest row of every owner.
/// </summary>
public readonly record struct ConnectivityRow(byte Index, ulong Incarnation, ulong Version, uint Heard)
{
    /// <summary>True when this row is newer than <paramref name="other"/> (same owner assumed).</summary>
    public bool IsNewerThan(ConnectivityRow other) =>
        Incarnation > other.Incarnation || (Incarnation == other.Incarnation && Version > other.Version);
}
