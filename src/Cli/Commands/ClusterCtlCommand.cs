using System.CommandLine;
using System.Net.Sockets;
using ClusterD.Admin.V1;
using Grpc.Core;

namespace ClusterD.Cli.Commands;

/// <summary>
/// Base of every verb: runs <see cref="ExecuteAsync"/> and turns what can go wrong into one
/// message on stderr and an exit code from <see cref="ExitCodes"/>. Cancellation (Ctrl-C) is the
/// normal end of the streaming verbs and exits 0. A command the cluster refused prints the daemon's
/// message and exits with the code of its class (<see cref="RefusalExitCode"/>).
/// </summary>
internal abstract class ClusterCtlCommand : Command
{
    /// <summary>How long a unary call may take; operator commands wait for the controller's answer, not for the cluster to settle.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    protected ClusterCtlCommand(string name, string description, CliContext context, GlobalOptions globals)
        : base(name, description)
    {
        Context = context;
        Globals = globals;
        SetAction(InvokeAsync);
    }

    protected CliContext Context { get; }

    protected GlobalOptions Globals { get; }

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);

    /// <summary>The admin socket this invocation talks to (see <see cref="Configuration.SocketPathResolver"/>).</summary>
    protected string SocketPath(ParseResult parseResult) => Context.ResolveSocket(parseResult.GetValue(Globals.Socket));

    protected AdminConnection Connect(ParseResult parseResult) => Context.ClientFactory.Connect(SocketPath(parseResult));

    /// <summary>The deadline of one unary call: a daemon that accepts the connection but never answers is as good as unreachable.</summary>
    protected DateTime Deadline() => Context.Time.GetUtcNow().UtcDateTime + CallTimeout;

    /// <summary>
    /// Sends one operator command and prints what the daemon did (and any warnings on stderr). A refusal
    /// is raised as <see cref="RpcException"/> and reported by the base.
    /// </summary>
    protected async Task<int> SendAsync(
        ParseResult parseResult,
        Func<ClusterAdmin.ClusterAdminClient, CallOptions, AsyncUnaryCall<CommandReply>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var connection = Connect(parseResult);
        var reply = await call(connection.Client, new CallOptions(deadline: Deadline(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var warning in reply.Warnings)
        {
            Context.Output.WriteError($"clusterctl: {DisplayName}: warning: {warning}");
        }

        Context.Output.WriteLine(reply.Message);
        return ExitCodes.Ok;
    }

    /// <summary>The verb as typed, e.g. "resource move" (for messages).</summary>
    protected virtual string DisplayName => Name;

    /// <summary>The exit code of a command the cluster refused, by the status the daemon answered with.</summary>
    public static int RefusalExitCode(StatusCode code) => code switch
    {
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.InvalidArgument => ExitCodes.InvalidArgument,
        StatusCode.FailedPrecondition => ExitCodes.FailedPrecondition,
        StatusCode.Unavailable => ExitCodes.ClusterUnavailable,
        _ => ExitCodes.Error,
    };

    private async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(parseResult, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (RpcException e) when (e.Trailers.Get(AdminTrailers.Refusal) is not null)
        {
            // The cluster said no: its message, one line each, and the code of the refusal's class.
            foreach (var line in e.Status.Detail.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Context.Output.WriteError($"clusterctl: {DisplayName}: {line}");
            }

            return RefusalExitCode(e.StatusCode);
        }
        catch (DaemonUnreachableException e)
        {
            return Unreachable(e.SocketPath.Length == 0 ? SocketPath(parseResult) : e.SocketPath, e.Reason);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // Not our Ctrl-C: the daemon reset the call, as it does to open streams when it stops.
            return Unreachable(SocketPath(parseResult), "the daemon closed the connection (is it stopping?)");
        }
        catch (RpcException e) when (IsConnectionFailure(e))
        {
            return Unreachable(SocketPath(parseResult), ConnectionFailureReason(e));
        }
        catch (SocketException e)
        {
            return Unreachable(SocketPath(parseResult), e.Message);
        }
        catch (RpcException e)
        {
            Context.Output.WriteError($"clusterctl: {Name}: the daemon answered {e.StatusCode}: {e.Status.Detail}");
            return ExitCodes.Error;
        }
        catch (Exception e)
        {
            // Every expected failure is reported above or by the command itself; this is a bug.
            // Say so plainly, with what is needed to report it, rather than pass it off as the user's error.
            Context.Output.WriteError($"clusterctl: {Name}: internal error ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); please report it");
            return ExitCodes.Error;
        }
    }

    private int Unreachable(string socketPath, string reason)
    {
        var oneLine = reason.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        Context.Output.WriteError($"clusterctl: cannot reach clusterd at {socketPath}: {oneLine}.");
        Context.Output.WriteError(
            "Is the daemon running on this node? Check 'systemctl status clusterd', or point --socket "
            + "(or $CLUSTERD_SOCKET) at its admin socket.");
        return ExitCodes.DaemonUnreachable;
    }

    /// <summary>
    /// Unavailable is what grpc-dotnet reports when it cannot connect; a connection that breaks
    /// after connecting (the daemon stops mid-stream) comes back as Internal or Unknown wrapping
    /// the transport error; DeadlineExceeded means it accepted but never answered.
    /// </summary>
    private static bool IsConnectionFailure(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        || (e.StatusCode is StatusCode.Internal or StatusCode.Unknown && FindTransportError(e) is not null);

    private static string ConnectionFailureReason(RpcException e) =>
        e.StatusCode == StatusCode.DeadlineExceeded
            ? "it accepted the connection but did not answer in time"
            : FindTransportError(e)?.Message ?? e.Status.Detail;

    /// <summary>The innermost socket error, else the innermost HTTP or I/O error, behind the status.</summary>
    private static Exception? FindTransportError(RpcException e)
    {
        Exception? transport = null;
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException)
            {
                return inner;
            }

            if (inner is HttpRequestException or IOException)
            {
                transport = inner;
            }
        }

        return transport;
    }
}
