using System.Globalization;

namespace ClusterD.Agents.Native.Stateful;

/// <summary>
/// A promotable resource that only tracks its role, like <c>ocf:pacemaker:Stateful</c>: start
/// records Unpromoted, promote Promoted, demote Unpromoted again, stop removes the state file.
/// Monitor answers 0 unpromoted, 8 promoted, 7 stopped; every answer of a running instance to
/// start, promote, demote and monitor carries its promotion score
/// (<see cref="AgentResultExtras.PromotionScore"/>: 5 unpromoted, 10 promoted, the script's
/// <c>SCORE_UNPROMOTED</c>/<c>SCORE_PROMOTED</c>, which it sets through <c>crm_master</c>).
/// </summary>
/// <remarks>
/// Exit codes follow the script's "should never happen" checks, so a controller that skips a step
/// is caught as Pacemaker's regression tests catch it: promote or demote of a stopped instance is 7,
/// start or stop of a promoted one is 8 (demote comes first). The file holds the script's own words
/// (<c>Promoted</c>, <c>Unpromoted</c>; <c>master</c>/<c>slave</c> from older versions are read too),
/// so a <c>state</c> file is shared with the script agent either way. Content that is none of them is
/// 1 with the file named, as the script's monitor; only stop, which removes it, succeeds on it.
/// </remarks>
public sealed class StatefulAgent : NativeAgent
{
    private const int UnpromotedScore = 5;
    private const int PromotedScore = 10;

    /// <summary>Characters of unexpected content quoted in an exit reason.</summary>
    private const int QuotedContent = 40;

    private readonly NativeAgentOptions _options;

    public StatefulAgent(AgentName name, NativeAgentOptions options, TimeProvider time)
        : base(name, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    private enum Role
    {
        Stopped,
        Unpromoted,
        Promoted,
        Unknown,
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
        switch (request.Action)
        {
            case AgentAction.ValidateAll:
                return StateFile.CheckWritable(path) is { } invalid ? Result(OcfExitCode.InvalidArgument, invalid) : Result(OcfExitCode.Success);
            case not (AgentAction.Start or AgentAction.Stop or AgentAction.Monitor or AgentAction.Promote or AgentAction.Demote):
                return Result(OcfExitCode.Unimplemented, $"{Name} has no {request.Action.ToOcfName()} action");
        }

        // A FIFO, a device or an oversized file at the path ends here as 6, before anything is changed.
        var content = await StateFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        var role = RoleOf(content);
        if (role == Role.Unknown && request.Action != AgentAction.Stop)
        {
            return Result(OcfExitCode.GenericError, $"state file {path} holds '{Quote(content!)}', not Promoted or Unpromoted; stop removes it");
        }

        switch (request.Action)
        {
            case AgentAction.Start when role == Role.Promoted:
                return Scored(OcfExitCode.RunningPromoted, role, path) with { ExitReason = "already promoted: start of a promoted instance" };
            case AgentAction.Start when role == Role.Unpromoted:
                return Scored(OcfExitCode.Success, role, path);
            case AgentAction.Start:
                if (StateFile.CheckWritable(path) is { } problem)
                {
                    return Result(OcfExitCode.InvalidArgument, problem);
                }

                return await WriteAsync(path, Role.Unpromoted, cancellationToken).ConfigureAwait(false);
            case AgentAction.Stop when role == Role.Promoted:
                // The script answers 8 here too: Pacemaker always demotes before it stops.
                return Result(OcfExitCode.RunningPromoted, "promoted: demote before stop");
            case AgentAction.Stop:
                return StateFile.Delete(path) ? Result(OcfExitCode.Success) : Result(OcfExitCode.GenericError, $"could not remove {path}");
            case AgentAction.Monitor:
                return role switch
                {
                    Role.Stopped => Result(OcfExitCode.NotRunning),
                    Role.Promoted => Scored(OcfExitCode.RunningPromoted, role, path),
                    _ => Scored(OcfExitCode.Success, role, path),
                };
            default:
                if (role == Role.Stopped)
                {
                    return Result(OcfExitCode.NotRunning, $"cannot {request.Action.ToOcfName()} a stopped instance");
                }

                return await WriteAsync(path, request.Action == AgentAction.Promote ? Role.Promoted : Role.Unpromoted, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<AgentResult> WriteAsync(string path, Role role, CancellationToken cancellationToken)
    {
        await StateFile.WriteAsync(path, role == Role.Promoted ? "Promoted" : "Unpromoted", cancellationToken).ConfigureAwait(false);
        return Scored(OcfExitCode.Success, role, path);
    }

    /// <summary>The role the file records: the script's words in any case, and the pre-2.1 master/slave.</summary>
    private static Role RoleOf(string? content) => content?.ToUpperInvariant() switch
    {
        null => Role.Stopped,
        "PROMOTED" or "MASTER" => Role.Promoted,
        "UNPROMOTED" or "SLAVE" => Role.Unpromoted,
        _ => Role.Unknown,
    };

    /// <summary>The start of unexpected content, on one line: it may be anything, binary included.</summary>
    private static string Quote(string content)
    {
        var shown = content.Length > QuotedContent ? content[..QuotedContent] + "..." : content;
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }

    private static AgentResult Scored(OcfExitCode code, Role role, string path) => Result(code) with
    {
        Extras = new Dictionary<string, string>
        {
            [AgentResultExtras.PromotionScore] = (role == Role.Promoted ? PromotedScore : UnpromotedScore).ToString(CultureInfo.InvariantCulture),
            ["role"] = role == Role.Promoted ? "promoted" : "unpromoted",
            [AgentResultExtras.StateFile] = path,
        },
    };
}
