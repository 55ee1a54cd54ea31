using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>One transition of a <see cref="TransitionLoop"/>: the plan and how its execution went.</summary>
public sealed record LoopStep(TransitionGraph Graph, TransitionResult Result);
