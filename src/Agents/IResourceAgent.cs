namespace ClusterD.Agents;

/// <summary>
/// A resource agent with OCF meaning: the one contract between the resource manager and
/// everything that starts, stops, watches, promotes or demotes a managed service. Script agents
/// (<c>ocf:</c>, <c>lsb:</c>, <c>systemd:</c>) and native agents implement it alike.
/// </summary>
/// <remarks>
/// <para>
/// Semantics follow the OCF resource agent API 1.1 (ClusterLabs/OCF-spec <c>ra/1.1/resource-agent-api.md</c>):
/// <c>start</c> and <c>stop</c> are idempotent (starting a started resource and stopping a
/// stopped one both succeed); <c>monitor</c> returns <see cref="OcfExitCode.Success"/> when
/// running, <see cref="OcfExitCode.NotRunning"/> when cleanly stopped,
/// <see cref="OcfExitCode.RunningPromoted"/> when running promoted, and an error otherwise;
/// <c>stop</c> succeeds only when the resource is observably stopped (process gone, port
/// closed, mount gone), never merely because a signal was sent.
/// </para>
/// <para>
/// One instance may serve many resources and may be called concurrently for different
/// <see cref="AgentRequest.ResourceInstance"/> values; the caller never runs two actions on the
/// same resource instance at once (as Pacemaker's executor guarantees). Agents key any state by
/// the resource instance.
/// </para>
/// <para>
/// <see cref="ExecuteAsync"/> reports agent failures, timeouts and cancellation in the returned
/// <see cref="AgentResult"/> and does not throw for them; it throws only for a malformed request.
/// When it returns, nothing the action started is still running on its behalf (a timed-out or
/// cancelled script's whole process group has been killed).
/// </para>
/// </remarks>
public interface IResourceAgent
{
    /// <summary>The canonical name this agent was resolved for, e.g. <c>ocf:heartbeat:Dummy</c>.</summary>
    AgentName Name { get; }

    /// <summary>
    /// Runs one action within <see cref="AgentRequest.Timeout"/>. On timeout the result has
    /// <see cref="AgentExecutionStatus.TimedOut"/>; when <paramref name="cancellationToken"/> fires,
    /// the action is killed and the result has <see cref="AgentExecutionStatus.Cancelled"/>.
    /// </summary>
    Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken);
}
