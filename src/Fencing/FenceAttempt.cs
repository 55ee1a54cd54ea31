namespace ClusterD.Fencing;

/// <summary>One run of one device during a fencing operation.</summary>
/// <param name="Device">The device's id.</param>
/// <param name="Round">1 for the first pass over the devices, 2 for the first retry, ...</param>
/// <param name="Action">The action the agent was told (after <c>pcmk_*_action</c> overrides).</param>
/// <param name="Result">What the agent answered.</param>
public sealed record FenceAttempt(string Device, int Round, FenceAction Action, FenceResult Result);
