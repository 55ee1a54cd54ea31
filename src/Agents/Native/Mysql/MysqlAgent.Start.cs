using System.Collections.Immutable;
using ClusterD.Agents.Processes;
using MySqlConnector;

namespace ClusterD.Agents.Native.Mysql;

public sealed partial class MysqlAgent
{
    /// <summary>
    /// Start: the installation checks, then one of three paths. A server of this resource already
    /// runs (pid file, or the one this agent launched): wait until it answers, which covers a
    /// start retried while InnoDB recovery is still running. Some other process holds the
    /// datadir's locks, or something answers on the socket: refuse with 1, never start a second
    /// server. Otherwise launch the server and wait until it answers a query.
    /// </summary>
    private async Task<AgentResult> StartAsync(AgentRequest request, MysqlSettings settings, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        // Keep a little of the action's time to answer with the log's tail instead of a bare timeout.
        var answerBy = request.Timeout - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, request.Timeout.Ticks / 10));
        if (CheckInstallation(settings) is { } failure)
        {
            return failure;
        }

        if (ServerLocator.Find(settings, Launched(request)) is { } running)
        {
            if (running.Evidence == ServerEvidence.DatadirLock)
            {
                return Result(OcfExitCode.GenericError,
                    $"datadir {settings.DataDirectory} is in use by pid {running.Pid} ({running.Command}), which {settings.PidFile} does not name: not starting a second server");
            }

            return await WaitUntilAnswersAsync(request, settings, running.Pid, started, answerBy, cancellationToken).ConfigureAwait(false);
        }

        if (await MysqlProbe.SocketAnswersAsync(settings.Socket, cancellationToken).ConfigureAwait(false))
        {
            return Result(OcfExitCode.GenericError,
                $"something already answers on {settings.Socket}, though no server process uses {settings.DataDirectory}: not starting");
        }

        if (!Directory.Exists(settings.SystemDatabase)
            && await InitializeAsync(settings, cancellationToken).ConfigureAwait(false) is { } initFailure)
        {
            return initFailure;
        }

        if (ServerLauncher.PrepareDirectories(settings, _asRoot) is { } problem)
        {
            return Result(OcfExitCode.InsufficientPrivileges, problem);
        }

        RemoveStaleFiles(settings);
        int pid;
        try
        {
            pid = ServerLauncher.Launch(settings, _asRoot);
        }
        catch (InvalidOperationException e)
        {
            return Result(OcfExitCode.GenericError, e.Message);
        }

        _launched[request.ResourceInstance] = pid;
        return await WaitUntilAnswersAsync(request, settings, pid, started, answerBy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls with a real query until the server answers (0), its process is gone (1 with the log's
    /// tail), the credentials are refused (1: it runs, but cannot be monitored), or the action's
    /// time is nearly up (1: still starting, with the log's tail). Connection errors while the
    /// process lives mean "starting" (InnoDB recovery can take minutes) and are waited out.
    /// </summary>
    private async Task<AgentResult> WaitUntilAnswersAsync(
        AgentRequest request, MysqlSettings settings, int pid, long started, TimeSpan answerBy, CancellationToken cancellationToken)
    {
        string lastError = "no answer yet";
        while (true)
        {
            try
            {
                var durability = await MysqlProbe.QueryAsync(settings, 0, request.ResourceInstance, request.NodeName, cancellationToken)
                    .ConfigureAwait(false);
                var server = ServerLocator.Find(settings, pid);
                return Running(server?.Pid ?? pid, durability);
            }
            catch (MySqlException e) when (e.Number == MysqlProbe.AccessDenied)
            {
                return Result(OcfExitCode.GenericError,
                    $"the server (pid {pid}) runs, but {settings.TestUser} cannot log in to monitor it: {e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lastError = MysqlProbe.Describe(e);
            }

            if (ServerLocator.Find(settings, pid) is null)
            {
                _launched.TryRemove(request.ResourceInstance, out _);
                return Result(OcfExitCode.GenericError,
                    $"the server (pid {pid}) exited during start; {settings.LogFile}: {ServerLauncher.LogTail(settings.LogFile)}");
            }

            if (Time.GetElapsedTime(started) >= answerBy)
            {
                return Result(OcfExitCode.GenericError,
                    $"the server (pid {pid}) is still starting after {answerBy.TotalSeconds:0.#} s ({lastError}); {settings.LogFile}: {ServerLauncher.LogTail(settings.LogFile)}")
                    with { Extras = ImmutableDictionary<string, string>.Empty.Add(ServerPidExtra, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            }

            await Task.Delay(PollInterval, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>enable_creation: <c>mariadb-install-db</c> on the empty datadir, as the script's <c>mysql_install_db</c>.</summary>
    private async Task<AgentResult?> InitializeAsync(MysqlSettings settings, CancellationToken cancellationToken)
    {
        var arguments = ImmutableArray.CreateBuilder<string>();
        if (settings.Config.Length > 0)
        {
            arguments.Add($"--defaults-file={settings.Config}");
        }

        arguments.Add($"--datadir={settings.DataDirectory}");
        if (_asRoot)
        {
            arguments.Add($"--user={settings.User}");
        }

        var outcome = await _runner.RunAsync(
            new ProcessSpec(settings.InstallDbBinary)
            {
                Arguments = arguments.ToImmutable(),
                Environment = new Dictionary<string, string> { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ["LC_ALL"] = "C" },
                Timeout = TimeSpan.FromMinutes(10), // the action's own token ends it sooner
            },
            cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return outcome.Completion == ProcessCompletion.Exited && outcome.ExitStatus == 0 && Directory.Exists(settings.SystemDatabase)
            ? null
            : Result(OcfExitCode.GenericError, $"{settings.InstallDbBinary} failed ({outcome.Error ?? $"exit {outcome.ExitStatus}"}): {outcome.Output.Trim()}");
    }

    /// <summary>A pid file naming a dead process is removed, so nothing later mistakes it for the new server's.</summary>
    private static void RemoveStaleFiles(MysqlSettings settings)
    {
        if (ServerProcess.ReadPidFile(settings.PidFile) is { } pid && !ProcessInfo.IsAlive(pid))
        {
            File.Delete(settings.PidFile);
        }
    }
}
