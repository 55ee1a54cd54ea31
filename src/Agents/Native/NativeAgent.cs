using ClusterD.Agents.Metadata;

namespace ClusterD.Agents.Native;

/// <summary>
/// Base of agents that run in this process: answers <c>meta-data</c> from <see cref="MetadataXml"/>,
/// checks parameters against it before <c>start</c> and <c>validate-all</c> (a missing required
/// parameter is <see cref="OcfExitCode.NotConfigured"/>), enforces the request's timeout and the
/// caller's cancellation, and measures the duration. Derived agents implement <see cref="RunAsync"/>
/// and honour its token in every wait.
/// </summary>
public abstract class NativeAgent : IResourceAgent
{
    private readonly Lazy<AgentMetadata> _metadata;

    protected NativeAgent(AgentName name, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(time);
        Name = name;
        Time = time;
        _metadata = new Lazy<AgentMetadata>(() => AgentMetadataParser.Parse(MetadataXml));
    }

    /// <inheritdoc/>
    public AgentName Name { get; }

    /// <summary>The agent's own description, in the OCF meta-data format.</summary>
    public AgentMetadata Metadata => _metadata.Value;

    /// <summary>The clock for durations and waits.</summary>
    protected TimeProvider Time { get; }

    /// <summary>The meta-data XML this agent prints.</summary>
    protected abstract string MetadataXml { get; }

    /// <inheritdoc/>
    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var started = Time.GetTimestamp();
        if (request.Action == AgentAction.MetaData)
        {
            return AgentResult.Completed(OcfExitCode.Success, TimeSpan.Zero) with { Output = MetadataXml };
        }

        if (request.Action == AgentAction.Notify)
        {
            // No native agent needs a clone notification: DRBD's state comes from drbdsetup itself, the others are
            // not made to be cloned with notify=true. Accepting it keeps a notifying clone's transitions going.
            return AgentResult.Completed(OcfExitCode.Success, Time.GetElapsedTime(started));
        }

        var warnings = new List<string>();
        if (request.Action is AgentAction.Start or AgentAction.ValidateAll)
        {
            var issues = ParameterValidator.Validate(Metadata, request.Parameters);
            var errors = issues.Where(i => i.IsError).Select(i => i.Message).ToList();
            warnings.AddRange(issues.Where(i => !i.IsError).Select(i => i.Message));
            if (errors.Count > 0)
            {
                return AgentResult.Completed(OcfExitCode.NotConfigured, Time.GetElapsedTime(started), string.Join("; ", errors))
                    with
                { Warnings = [.. warnings] };
            }
        }

        using var timeout = new CancellationTokenSource(request.Timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        AgentResult result;
        try
        {
            result = await RunAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (AgentInputException e)
        {
            result = new AgentResult(e.ExitCode, AgentExecutionStatus.Completed, TimeSpan.Zero) { ExitReason = e.Message };
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            var cancelled = cancellationToken.IsCancellationRequested;
            result = new AgentResult(OcfExitCode.GenericError, cancelled ? AgentExecutionStatus.Cancelled : AgentExecutionStatus.TimedOut, TimeSpan.Zero)
            {
                ExitReason = cancelled
                    ? "cancelled"
                    : $"timed out after {request.Timeout.TotalMilliseconds:0} ms in {request.Action.ToOcfName()}",
            };
        }

        return result with
        {
            Duration = Time.GetElapsedTime(started),
            Warnings = [.. warnings, .. result.Warnings],
        };
    }

    /// <summary>Runs one action other than meta-data; the parameters have passed validation for start.</summary>
    protected abstract Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken);

    /// <summary>A completed result; the base sets the duration.</summary>
    protected static AgentResult Result(OcfExitCode code, string? reason = null) => AgentResult.Completed(code, TimeSpan.Zero, reason);

    /// <summary>The value of <paramref name="parameter"/>, else its declared default.</summary>
    protected string? Parameter(AgentRequest request, string parameter)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Parameters.TryGetValue(parameter, out var value) ? value : Metadata.Parameter(parameter)?.Default;
    }
}
