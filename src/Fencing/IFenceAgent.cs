namespace ClusterD.Fencing;

/// <summary>
/// One fence agent type (<c>fence_azure_arm</c>, <c>fence_ipmilan</c>, the built-in Azure agent): runs one
/// action against one device with the device's parameters. The fence-agents semantics apply: <c>off</c>
/// and <c>reboot</c> succeed only once the target is confirmed powered off (for reboot: and told to
/// power on again); <c>status</c> reports on or off; <c>list</c> names the plugs the device controls.
/// </summary>
/// <remarks>
/// Implementations never throw for the agent's own failures, timeouts or hostile output: those are a
/// <see cref="FenceResult"/> with <see cref="FenceResult.Succeeded"/> false and a reason. Only
/// cancellation through <c>ct</c> ends a call early, with <see cref="OperationCanceledException"/>
/// or a failed result after the agent's processes were stopped.
/// </remarks>
public interface IFenceAgent
{
    /// <summary>Runs <paramref name="request"/> to completion or to its <see cref="FenceRequest.Timeout"/>.</summary>
    Task<FenceResult> RunAsync(FenceRequest request, CancellationToken ct);
}
