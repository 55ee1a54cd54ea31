using System.Globalization;

namespace ClusterD.Agents.Native.Dummy;

/// <summary>
/// A promotable resource that only tracks its role, like <c>ocf:pacemaker:Stateful</c>: start
/// records "unpromoted", promote "promoted", demote "unpromoted" again, stop removes the state.
/// Monitor answers 0 unpromoted, 8 promoted, 7 stopped; every answer while running carries a
/// promotion score (<see cref="AgentResultExtras.PromotionScore"/>: 5 unpromoted, 10 promoted,
/// Stateful's own values), which is what the script sets through <c>crm_master</c>.
/// </summary>
public sealed class StatefulAgent : NativeAgent
{
    private const string Unpromoted = "unpromoted";
    private const string Promoted = "promoted";
    private const int UnpromotedScore = 5;
    private const int PromotedScore = 10;

    private readonly NativeAgentOptions _options;

    public StatefulAgent(AgentName name, NativeAgentOptions options, TimeProvider time)
        : base(name, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc/>
    protected override string MetadataXml => """
        <?xml version="1.0"?>
        <resource-agent name="Stateful" version="1.0">
        <version>1.1</version>
        <longdesc lang="en">A promotable resource that does nothing but record its role in a state file. ClusterD's native equivalent of ocf:pacemaker:Stateful.</longdesc>
        <shortdesc lang="en">Example promotable resource (native)</shortdesc>
        <parameters>
        <parameter name="state" unique="1">
        <longdesc lang="en">Location of the state file. Default: STATE_DIR/Stateful-INSTANCE.state.</longdesc>
        <shortdesc lang="en">State file</shortdesc>
        <content type="string" default="" />
        </parameter>
        </parameters>
        <actions>
        <action name="start" timeout="20s" />
        <action name="stop" timeout="20s" />
        <action name="monitor" depth="0" timeout="20s" interval="10s" role="Promoted" />
        <action name="monitor" depth="0" timeout="20s" interval="11s" role="Unpromoted" />
        <action name="promote" timeout="10s" />
        <action name="demote" timeout="10s" />
        <action name="notify" timeout="5s" />
        <action name="validate-all" timeout="20s" />
        <action name="meta-data" timeout="5s" />
        </actions>
        </resource-agent>
        """;

    /// <inheritdoc/>
    protected override async Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var path = StateFile.PathFor(_options, Name, request);
        var role = await StateFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        switch (request.Action)
        {
            case AgentAction.Start:
                if (role is not null)
                {
                    return Scored(OcfExitCode.Success, role);
                }

                if (StateFile.CheckWritable(path) is { } problem)
                {
                    return Result(OcfExitCode.InvalidArgument, problem);
                }

                await StateFile.WriteAsync(path, Unpromoted, cancellationToken).ConfigureAwait(false);
                return Scored(OcfExitCode.Success, Unpromoted);
            case AgentAction.Stop:
                return StateFile.Delete(path) ? Result(OcfExitCode.Success) : Result(OcfExitCode.GenericError, $"could not remove {path}");
            case AgentAction.Monitor:
                return role switch
                {
                    null => Result(OcfExitCode.NotRunning),
                    Promoted => Scored(OcfExitCode.RunningPromoted, role),
                    _ => Scored(OcfExitCode.Success, role),
                };
            case AgentAction.Promote or AgentAction.Demote:
                if (role is null)
                {
                    return Result(OcfExitCode.NotRunning, $"cannot {request.Action.ToOcfName()} a stopped instance");
                }

                var target = request.Action == AgentAction.Promote ? Promoted : Unpromoted;
                await StateFile.WriteAsync(path, target, cancellationToken).ConfigureAwait(false);
                return Scored(OcfExitCode.Success, target);
            case AgentAction.Notify:
                return Result(OcfExitCode.Success);
            case AgentAction.ValidateAll:
                return StateFile.CheckWritable(path) is { } invalid ? Result(OcfExitCode.InvalidArgument, invalid) : Result(OcfExitCode.Success);
            default:
                return Result(OcfExitCode.Unimplemented, $"{Name} has no {request.Action.ToOcfName()} action");
        }
    }

    private static AgentResult Scored(OcfExitCode code, string role) => Result(code) with
    {
        Extras = new Dictionary<string, string>
        {
            [AgentResultExtras.PromotionScore] = (role == Promoted ? PromotedScore : UnpromotedScore).ToString(CultureInfo.InvariantCulture),
            ["role"] = role,
        },
    };
}
