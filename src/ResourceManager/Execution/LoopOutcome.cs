using System.Collections.Immutable;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Execution;

/// <summary>The transitions a <see cref="TransitionLoop"/> ran, the status they left, and whether the scheduler had nothing more to do.</summary>
public sealed record LoopOutcome(ImmutableArray<LoopStep> Steps, ClusterStatus Status, bool Settled);
