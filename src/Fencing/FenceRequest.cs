namespace ClusterD.Fencing;

/// <summary>One action for a fence agent.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Plug">
/// The target as the device names it (a port, a VM name), sent as <c>plug=</c>; null for actions on the
/// device itself (<c>list</c>, <c>monitor</c>, <c>metadata</c>) and when the parameters name it already.
/// </param>
/// <param name="Parameters">The device's parameters, sent as <c>name=value</c> lines (secrets included: never logged).</param>
/// <param name="Timeout">After this long the agent is stopped (its whole process group) and the action failed.</param>
public sealed record FenceRequest(
    FenceAction Action,
    string? Plug,
    IReadOnlyDictionary<string, string> Parameters,
    TimeSpan Timeout);
