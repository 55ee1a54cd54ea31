namespace ClusterD.Fencing.Policy;

/// <summary>Where a fencing operation stands in a fence race (<see cref="FenceDelayPolicy.RaceFor"/>).</summary>
public enum FenceRace
{
    /// <summary>No race: the target is in our partition, or our partition has a majority.</summary>
    None,

    /// <summary>A race this side may start at once: the target does not hold the highest priority, or all priorities are equal.</summary>
    Favoured,

    /// <summary>A race against the node with the highest priority (it holds the promoted instance): this side waits.</summary>
    Disfavoured,
}
