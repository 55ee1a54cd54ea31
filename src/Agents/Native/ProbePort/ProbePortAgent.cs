using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClusterD.Agents.Native.ProbePort;

/// <summary>
/// Holds a TCP listener on <c>port</c> (optionally only on address <c>bind</c>) while started, so
/// a load balancer's health probe finds the service exactly where the cluster runs it: the
/// native form of <c>ocf:heartbeat:azure-lb</c>, which runs <c>nc -l</c> instead. Connections are
/// accepted and closed at once; the probe only needs the handshake.
/// </summary>
/// <remarks>
/// The listener lives in this object, in this process: start returns once the socket listens,
/// stop once it is closed, and monitor answers 0 while the listener's accept loop is alive and 7
/// otherwise. A process that ends (such as <c>clusterctl agent exec</c>) takes its listeners
/// with it, so the agent is only meaningful inside the daemon. <c>port</c> defaults to 61000,
/// azure-lb's default.
/// </remarks>
public sealed class ProbePortAgent : NativeAgent, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ProbeListener> _listeners = new(StringComparer.Ordinal);

    public ProbePortAgent(AgentName name, TimeProvider time)
        : base(name, time)
    {
    }

    /// <inheritdoc/>
    protected override string MetadataXml => """
        <?xml version="1.0"?>
        <resource-agent name="probe-port" version="1.0">
        <version>1.1</version>
        <longdesc lang="en">Listens on a TCP port while started, so a load balancer health probe (Azure Load Balancer) follows the node where the cluster runs the service. Native equivalent of ocf:heartbeat:azure-lb.</longdesc>
        <shortdesc lang="en">Health probe port for a load balancer</shortdesc>
        <parameters>
        <parameter name="port">
        <longdesc lang="en">TCP port the load balancer probes.</longdesc>
        <shortdesc lang="en">Probe port</shortdesc>
        <content type="integer" default="61000" />
        </parameter>
        <parameter name="bind">
        <longdesc lang="en">Local address to listen on. Default: all addresses.</longdesc>
        <shortdesc lang="en">Bind address</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="nc">
        <longdesc lang="en">Accepted for compatibility with azure-lb and ignored: no external program is run.</longdesc>
        <shortdesc lang="en">Ignored</shortdesc>
        <content type="string" default="" />
        </parameter>
        </parameters>
        <actions>
        <action name="start" timeout="20s" />
        <action name="stop" timeout="20s" />
        <action name="monitor" depth="0" timeout="20s" interval="10s" />
        <action name="validate-all" timeout="20s" />
        <action name="meta-data" timeout="5s" />
        </actions>
        </resource-agent>
        """;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _listeners.Keys)
        {
            if (_listeners.TryRemove(instance, out var listener))
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (request.Action is AgentAction.Promote or AgentAction.Demote)
        {
            return Result(OcfExitCode.Unimplemented, $"{Name} has no {request.Action.ToOcfName()} action");
        }

        var endpoint = TryGetEndpoint(request, out var problem);
        if (endpoint is null)
        {
            // Stop and monitor must still answer for a resource whose configuration broke since it started.
            return request.Action switch
            {
                AgentAction.Stop => await StopAsync(request.ResourceInstance).ConfigureAwait(false),
                AgentAction.Monitor => Monitor(request.ResourceInstance),
                _ => Result(OcfExitCode.NotConfigured, problem),
            };
        }

        return request.Action switch
        {
            AgentAction.Start => Start(request.ResourceInstance, endpoint),
            AgentAction.Stop => await StopAsync(request.ResourceInstance).ConfigureAwait(false),
            AgentAction.Monitor => Monitor(request.ResourceInstance),
            _ => Result(OcfExitCode.Success),
        };
    }

    private AgentResult Start(string instance, IPEndPoint endpoint)
    {
        if (_listeners.TryGetValue(instance, out var existing))
        {
            if (existing.IsListening && existing.Endpoint.Equals(endpoint))
            {
                return Result(OcfExitCode.Success);
            }

            return Result(OcfExitCode.GenericError,
                $"instance {instance} already holds {existing.Endpoint} ({(existing.IsListening ? "listening" : "failed")}); stop it first");
        }

        try
        {
            var listener = ProbeListener.Open(endpoint);
            if (!_listeners.TryAdd(instance, listener))
            {
                _ = listener.DisposeAsync().AsTask();
                return Result(OcfExitCode.GenericError, $"instance {instance} was started concurrently");
            }

            return Result(OcfExitCode.Success);
        }
        catch (SocketException e)
        {
            return Result(OcfExitCode.GenericError, $"cannot listen on {endpoint}: {e.Message}");
        }
    }

    private async Task<AgentResult> StopAsync(string instance)
    {
        if (_listeners.TryRemove(instance, out var listener))
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        return Result(OcfExitCode.Success);
    }

    private AgentResult Monitor(string instance) =>
        _listeners.TryGetValue(instance, out var listener) && listener.IsListening
            ? Result(OcfExitCode.Success)
            : Result(OcfExitCode.NotRunning);

    private IPEndPoint? TryGetEndpoint(AgentRequest request, out string problem)
    {
        var portText = Parameter(request, "port") ?? "";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"port '{portText}' is not a TCP port (1-65535)";
            return null;
        }

        var bindText = Parameter(request, "bind") ?? "";
        var address = IPAddress.Any;
        if (bindText.Length > 0 && !IPAddress.TryParse(bindText, out address))
        {
            problem = $"bind '{bindText}' is not an IP address";
            return null;
        }

        problem = "";
        return new IPEndPoint(address, port);
    }
}
