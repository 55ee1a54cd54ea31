using System.Net;
using System.Net.Sockets;
using ClusterD.Agents.Native.ProbePort;

namespace ClusterD.Agents.Tests.Native;

/// <summary>The probe port on real loopback sockets: connectable exactly while started.</summary>
public sealed class ProbePortAgentTests : IAsyncDisposable
{
    private readonly ProbePortAgent _agent = new(AgentName.Parse("ocf:clusterd:probe-port"), TimeProvider.System);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_SucceedsOnlyWhileStarted()
    {
        var port = FreePort();
        var request = Request(port);

        Assert.Equal(OcfExitCode.NotRunning, (await _agent.ExecuteAsync(request with { Action = AgentAction.Monitor }, Ct)).ExitCode);
        Assert.Equal(SocketError.ConnectionRefused, await ConnectAsync(port));

        Assert.True((await _agent.ExecuteAsync(request, Ct)).IsSuccess);
        Assert.Equal(SocketError.Success, await ConnectAsync(port));
        Assert.Equal(SocketError.Success, await ConnectAsync(port));
        Assert.Equal(OcfExitCode.Success, (await _agent.ExecuteAsync(request with { Action = AgentAction.Monitor }, Ct)).ExitCode);
        Assert.True((await _agent.ExecuteAsync(request, Ct)).IsSuccess);

        Assert.True((await _agent.ExecuteAsync(request with { Action = AgentAction.Stop }, Ct)).IsSuccess);
        Assert.Equal(SocketError.ConnectionRefused, await ConnectAsync(port));
        Assert.Equal(OcfExitCode.NotRunning, (await _agent.ExecuteAsync(request with { Action = AgentAction.Monitor }, Ct)).ExitCode);
        Assert.True((await _agent.ExecuteAsync(request with { Action = AgentAction.Stop }, Ct)).IsSuccess);
    }

    [Fact]
    public async Task Start_PortHeldBySomeoneElse_FailsAndMonitorSaysNotRunning()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        var port = ((IPEndPoint)other.LocalEndPoint!).Port;

        var result = await _agent.ExecuteAsync(Request(port), Ct);

        Assert.Equal(OcfExitCode.GenericError, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", result.ExitReason, StringComparison.Ordinal);
        Assert.Equal(OcfExitCode.NotRunning, (await _agent.ExecuteAsync(Request(port) with { Action = AgentAction.Monitor }, Ct)).ExitCode);
    }

    [Theory]
    [InlineData("0", "")]
    [InlineData("70000", "")]
    [InlineData("http", "")]
    [InlineData("61000", "not-an-ip")]
    public async Task BadParameters_AreNotConfigured(string port, string bind)
    {
        var request = new AgentRequest(AgentAction.ValidateAll, "probe")
        {
            Parameters = new Dictionary<string, string> { ["port"] = port, ["bind"] = bind },
        };

        Assert.Equal(OcfExitCode.NotConfigured, (await _agent.ExecuteAsync(request, Ct)).ExitCode);
        Assert.Equal(OcfExitCode.NotConfigured, (await _agent.ExecuteAsync(request with { Action = AgentAction.Start }, Ct)).ExitCode);
    }

    [Fact]
    public async Task TwoInstances_HoldTwoPortsIndependently()
    {
        var (a, b) = (FreePort(), FreePort());
        Assert.True((await _agent.ExecuteAsync(Request(a, "probe-a"), Ct)).IsSuccess);
        Assert.True((await _agent.ExecuteAsync(Request(b, "probe-b"), Ct)).IsSuccess);

        Assert.True((await _agent.ExecuteAsync(Request(a, "probe-a") with { Action = AgentAction.Stop }, Ct)).IsSuccess);

        Assert.Equal(SocketError.ConnectionRefused, await ConnectAsync(a));
        Assert.Equal(SocketError.Success, await ConnectAsync(b));
    }

    public async ValueTask DisposeAsync() => await _agent.DisposeAsync();

    private static AgentRequest Request(int port, string instance = "probe") => new(AgentAction.Start, instance)
    {
        Parameters = new Dictionary<string, string> { ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["bind"] = "127.0.0.1" },
    };

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task<SocketError> ConnectAsync(int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Ct);

            // Linux lets a connect to a free port in the ephemeral range pick that very port as its source and
            // connect to itself (TCP simultaneous open): that is nobody listening, not the agent's socket.
            return ((IPEndPoint)client.LocalEndPoint!).Port == port ? SocketError.ConnectionRefused : SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
