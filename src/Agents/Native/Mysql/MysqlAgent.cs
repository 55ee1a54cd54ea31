using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using ClusterD.Agents.Processes;
using ClusterD.Platform.Files;
using ClusterD.Platform;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// The native MySQL/MariaDB agent, <c>ocf:clusterd:mysql</c>, also resolved for
/// <c>ocf:heartbeat:mysql</c> (same parameters). The resource is "the server on this datadir":
/// start launches the configured binary detached and waits until it answers a real query;
/// monitor queries it through MySqlConnector over the socket and reports the durability
/// settings; stop shuts it down with SIGTERM, then SIGKILL, and succeeds only once the process
/// is gone. Never two servers on one datadir (field notes §4.18, §4.19).
/// </summary>
/// <remarks>
/// <para>Monitor: 0 when the query succeeds; 7 when no server process uses the datadir, including
/// after a crash or <c>kill -9</c> that left a stale pid file (as <c>ocf:heartbeat:mysql</c> does;
/// the exit reason says so); 1 when a server process exists but does not answer (still in InnoDB
/// recovery, hung, wrong credentials), or when something answers on the socket that no process on
/// the datadir accounts for. Depth 10 adds the read of <c>test_table</c> and, when
/// <c>heartbeat_table</c> is set, a write.</para>
/// <para>Only <c>validate-all</c>, <c>start</c> and <c>meta-data</c> look at the installation; a
/// probe on a node without MySQL, or with the datadir's file system not mounted, is simply 7.</para>
/// </remarks>
public sealed partial class MysqlAgent : NativeAgent
{
    /// <summary>Largest my.cnf accepted by validate-all (Debian's is under 2 KiB with its includes elsewhere).</summary>
    private const int MaxConfigBytes = 1 << 20;

    public const string ServerPidExtra = "server-pid";

    /// <summary>Pid of the last server launched per resource instance, so a start retried during InnoDB recovery waits for it.</summary>
    private readonly ConcurrentDictionary<string, int> _launched = new(StringComparer.Ordinal);
    private readonly AgentProcessRunner _runner;
    private readonly bool _asRoot;

    /// <param name="runner">Runs <c>mariadb-install-db</c> for <c>enable_creation</c>; the server itself is launched detached, not through it.</param>
    public MysqlAgent(AgentName name, AgentProcessRunner runner, TimeProvider time)
        : base(name, time)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _asRoot = Environment.IsPrivilegedProcess;
    }

    /// <summary>How often start polls the server while it comes up, and stop while it goes down.</summary>
    internal TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc/>
    protected override async Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (request.Action is AgentAction.Promote or AgentAction.Demote)
        {
            return Result(OcfExitCode.Unimplemented, $"{Name} manages a single server; replication roles are not supported");
        }

        var settings = MysqlSettings.TryRead(name => Parameter(request, name), out var problem);
        if (settings is null)
        {
            // Without valid paths there is no way to tell which server is the resource's, for any action.
            return Result(OcfExitCode.NotConfigured, problem);
        }

        return request.Action switch
        {
            AgentAction.Start => await StartAsync(request, settings, cancellationToken).ConfigureAwait(false),
            AgentAction.Stop => await StopAsync(request, settings, cancellationToken).ConfigureAwait(false),
            AgentAction.Monitor => await MonitorAsync(request, settings, cancellationToken).ConfigureAwait(false),
            _ => await ValidateAsync(request, settings, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<AgentResult> MonitorAsync(AgentRequest request, MysqlSettings settings, CancellationToken cancellationToken)
    {
        var server = ServerLocator.Find(settings, Launched(request));
        if (server is null)
        {
            if (await MysqlProbe.SocketAnswersAsync(settings.Socket, cancellationToken).ConfigureAwait(false))
            {
                return Result(OcfExitCode.GenericError,
                    $"something answers on {settings.Socket}, but neither {settings.PidFile} nor the locks in {settings.DataDirectory} name a server process");
            }

            return ServerProcess.ReadPidFile(settings.PidFile) is { } stale
                ? Result(OcfExitCode.NotRunning, $"server pid {stale} from {settings.PidFile} is gone (crashed or killed): stale pid file")
                : Result(OcfExitCode.NotRunning);
        }

        try
        {
            var durability = await MysqlProbe.QueryAsync(settings, request.CheckLevel, request.ResourceInstance, request.NodeName, cancellationToken)
                .ConfigureAwait(false);
            return Running(server.Pid, durability);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Result(OcfExitCode.GenericError,
                $"server pid {server.Pid} ({Describe(server.Evidence)}) does not answer on {settings.Socket}: {MysqlProbe.Describe(e)}")
                with
            { Extras = ServerExtras(server.Pid, null) };
        }
    }

    private async Task<AgentResult> ValidateAsync(AgentRequest request, MysqlSettings settings, CancellationToken cancellationToken)
    {
        if (CheckInstallation(settings) is { } failure)
        {
            return failure;
        }

        if (ServerLocator.Find(settings, Launched(request)) is not { } server)
        {
            return Result(OcfExitCode.Success);
        }

        try
        {
            var durability = await MysqlProbe.QueryAsync(settings, 0, request.ResourceInstance, request.NodeName, cancellationToken).ConfigureAwait(false);
            return Running(server.Pid, durability);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Result(OcfExitCode.Success) with
            {
                Warnings = [$"server pid {server.Pid} runs but could not be asked for its durability settings: {MysqlProbe.Describe(e)}"],
            };
        }
    }

    /// <summary>
    /// What start and validate-all require of the node, in <c>mysql_common_validate</c>'s order and
    /// with its codes (5 for a missing program, datadir, config or account: "not on this node"),
    /// plus 6 for a datadir without the mysql system database: nothing to start on any node.
    /// </summary>
    private AgentResult? CheckInstallation(MysqlSettings settings)
    {
        if (!File.Exists(settings.Binary))
        {
            return Result(OcfExitCode.NotInstalled, $"server binary {settings.Binary} not found");
        }

        if ((File.GetUnixFileMode(settings.Binary) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            return Result(OcfExitCode.NotInstalled, $"server binary {settings.Binary} is not executable");
        }

        if (settings.Config.Length > 0)
        {
            // Read, not just opened: opening a FIFO would block the agent; a device or a huge file is no my.cnf.
            try
            {
                RegularFile.Read(settings.Config, MaxConfigBytes);
            }
            catch (FileReadException e)
            {
                return e.Problem switch
                {
                    FileReadProblem.Missing => Result(OcfExitCode.NotInstalled, $"config {settings.Config} does not exist"),
                    FileReadProblem.NotRegular or FileReadProblem.TooLarge or FileReadProblem.NotAFileName =>
                        Result(OcfExitCode.NotConfigured, $"config {settings.Config} {e.Message}"),
                    _ => Result(OcfExitCode.InsufficientPrivileges, $"config {settings.Config} is not readable: {e.Message}"),
                };
            }
        }

        if (!Directory.Exists(settings.DataDirectory))
        {
            return Result(OcfExitCode.NotInstalled, $"datadir {settings.DataDirectory} does not exist (is its file system mounted on this node?)");
        }

        if (_asRoot && Accounts.UserId(settings.User) is null)
        {
            return Result(OcfExitCode.NotInstalled, $"user {settings.User} does not exist");
        }

        if (_asRoot && Accounts.GroupId(settings.Group) is null)
        {
            return Result(OcfExitCode.NotInstalled, $"group {settings.Group} does not exist");
        }

        if (!Directory.Exists(settings.SystemDatabase))
        {
            if (!settings.EnableCreation)
            {
                return Result(OcfExitCode.NotConfigured,
                    $"datadir {settings.DataDirectory} has no mysql system database: initialize it (mariadb-install-db --datadir={settings.DataDirectory} --user={settings.User}) or set enable_creation=true");
            }

            if (!File.Exists(settings.InstallDbBinary))
            {
                return Result(OcfExitCode.NotInstalled, $"enable_creation needs {settings.InstallDbBinary}, which is not installed");
            }
        }

        return null;
    }

    private int? Launched(AgentRequest request) => _launched.TryGetValue(request.ResourceInstance, out var pid) ? pid : null;

    private static AgentResult Running(int pid, DurabilitySettings durability) => Result(OcfExitCode.Success) with
    {
        Warnings = durability.Warnings(),
        Extras = ServerExtras(pid, durability),
    };

    private static ImmutableDictionary<string, string> ServerExtras(int pid, DurabilitySettings? durability)
    {
        var extras = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        extras[ServerPidExtra] = pid.ToString(CultureInfo.InvariantCulture);
        if (durability is not null)
        {
            extras.AddRange(durability.Extras());
        }

        return extras.ToImmutable();
    }

    private static string Describe(ServerEvidence evidence) => evidence switch
    {
        ServerEvidence.PidFile => "from the pid file",
        ServerEvidence.Launched => "started by this agent",
        _ => "holding the datadir's locks",
    };
}
