using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Journal;

/// <summary>
/// One scheduler run as the decision journal keeps it: the inputs (<see cref="Config"/>,
/// <see cref="Status"/>, and <see cref="Now"/>, the time <c>failure-timeout</c> was measured against)
/// and what came out (<see cref="Graph"/> in the <c>simulate --json</c> shape, <see cref="Summary"/> as
/// <c>simulate</c> prints it). <see cref="Time"/> is when it was recorded.
/// </summary>
public sealed record JournalEntry(
    long Id,
    DateTimeOffset Time,
    DateTimeOffset Now,
    ClusterConfig Config,
    ClusterStatus Status,
    TransitionView Graph,
    string Summary);
