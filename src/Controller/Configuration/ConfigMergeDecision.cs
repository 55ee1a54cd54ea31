using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Configuration;

/// <summary>
/// The outcome of <see cref="ConfigMerge.Decide"/>: what to do, the configuration to hold afterwards, and,
/// when the losing configuration's content differed from the winner's, a warning naming the version
/// dropped and what it had that is now gone (null when nothing of substance was lost).
/// </summary>
public sealed record ConfigMergeDecision(ConfigMergeOutcome Outcome, ClusterConfig Config, string? Warning);
