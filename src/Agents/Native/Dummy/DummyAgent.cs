using System.Globalization;

namespace ClusterD.Agents.Native.Dummy;

/// <summary>
/// A resource that only tracks its own state, like <c>ocf:pacemaker:Dummy</c> and
/// <c>ocf:heartbeat:Dummy</c>: start creates a state file, stop removes it, monitor reports
/// whether it exists. <c>fake</c> is stored and otherwise ignored; <c>op_sleep</c> (seconds)
/// delays every action, for timeout tests and the demo.
/// </summary>
public sealed class DummyAgent : NativeAgent
{
    private readonly NativeAgentOptions _options;

    public DummyAgent(AgentName name, NativeAgentOptions options, TimeProvider time)
        : base(name, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc/>
    protected override string MetadataXml => """
        <?xml version="1.0"?>
        <resource-agent name="Dummy" version="1.0">
        <version>1.1</version>
        <longdesc lang="en">A resource that does nothing but record whether it is started, in a state file. ClusterD's native equivalent of ocf:pacemaker:Dummy.</longdesc>
        <shortdesc lang="en">Example stateless resource (native)</shortdesc>
        <parameters>
        <parameter name="state" unique="1">
        <longdesc lang="en">Location of the state file. Default: STATE_DIR/Dummy-INSTANCE.state.</longdesc>
        <shortdesc lang="en">State file</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="fake" reloadable="1">
        <longdesc lang="en">Fake attribute that can be changed to cause a reload.</longdesc>
        <shortdesc lang="en">Fake attribute</shortdesc>
        <content type="string" default="dummy" />
        </parameter>
        <parameter name="op_sleep">
        <longdesc lang="en">Seconds every action sleeps before doing its work.</longdesc>
        <shortdesc lang="en">Operation sleep duration in seconds</shortdesc>
        <content type="string" default="0" />
        </parameter>
        </parameters>
        <actions>
        <action name="start" timeout="20s" />
        <action name="stop" timeout="20s" />
        <action name="monitor" timeout="20s" interval="10s" depth="0" />
        <action name="validate-all" timeout="20s" />
        <action name="meta-data" timeout="5s" />
        </actions>
        </resource-agent>
        """;

    /// <inheritdoc/>
    protected override async Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var path = StateFile.PathFor(_options, Name, request);
        if (!TryGetSleep(request, out var sleep))
        {
            return Result(OcfExitCode.NotConfigured, $"op_sleep '{request.Parameters["op_sleep"]}' is not a number of seconds");
        }

        if (sleep > TimeSpan.Zero)
        {
            await Task.Delay(sleep, Time, cancellationToken).ConfigureAwait(false);
        }

        switch (request.Action)
        {
            case AgentAction.Start:
                if (StateFile.CheckWritable(path) is { } problem)
                {
                    return Result(OcfExitCode.InvalidArgument, problem);
                }

                await StateFile.WriteAsync(path, Parameter(request, "fake") ?? "", cancellationToken).ConfigureAwait(false);
                return Result(OcfExitCode.Success) with { Extras = new Dictionary<string, string> { [AgentResultExtras.StateFile] = path } };
            case AgentAction.Stop:
                return StateFile.Delete(path) ? Result(OcfExitCode.Success) : Result(OcfExitCode.GenericError, $"could not remove {path}");
            case AgentAction.Monitor:
                return await StateFile.ReadAsync(path, cancellationToken).ConfigureAwait(false) is null
                    ? Result(OcfExitCode.NotRunning)
                    : Result(OcfExitCode.Success);
            case AgentAction.ValidateAll:
                return StateFile.CheckWritable(path) is { } invalid ? Result(OcfExitCode.InvalidArgument, invalid) : Result(OcfExitCode.Success);
            default:
                return Result(OcfExitCode.Unimplemented, $"{Name} has no {request.Action.ToOcfName()} action");
        }
    }

    private static bool TryGetSleep(AgentRequest request, out TimeSpan sleep)
    {
        sleep = TimeSpan.Zero;
        if (!request.Parameters.TryGetValue("op_sleep", out var text) || text.Length == 0)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 86_400)
        {
            return false;
        }

        sleep = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
