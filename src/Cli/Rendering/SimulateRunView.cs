using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// What <c>clusterctl simulate --run --json</c> prints: <c>{ "transitions": [ { placement, actions } ], "settled" }</c>,
/// one entry per transition executed, in order; settled is false when the run hit its limit. Each transition
/// is a <see cref="TransitionView"/>, what <c>simulate --json</c> prints for one.
/// </summary>
internal sealed record SimulateRunView(IReadOnlyList<TransitionView> Transitions, bool Settled);
