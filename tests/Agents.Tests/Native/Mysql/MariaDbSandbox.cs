using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ClusterD.Agents.Native.Mysql;
using ClusterD.Agents.Tests.TestSupport;
using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Tests.Native.Mysql;

/// <summary>
/// A private MariaDB for one test: a copy of a datadir made once per run by Debian's
/// <c>mariadb-install-db</c> (root authenticates through unix_socket, as on a real Debian node),
/// its own config, pid file, socket and error log under a scratch directory, and a free loopback
/// port. Nothing of the system server (/var/lib/mysql, /run/mysqld) is touched. Dispose kills what
/// still runs on this datadir: only servers the test started.
/// </summary>
internal sealed class MariaDbSandbox : IDisposable
{
    public const string Server = "/usr/sbin/mariadbd";
    private const string InstallDb = "/usr/bin/mariadb-install-db";

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? s_template;

    private readonly TempDirectory _dir = new("clusterd-mysql-");

    private MariaDbSandbox(int port)
    {
        Port = port;
        // The scratch directory is 0700; the server runs as root here, but keep it traversable anyway.
        File.SetUnixFileMode(_dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public int Port { get; }

    public string DataDirectory => _dir.Combine("data");

    public string Config => _dir.Combine("my.cnf");

    public string PidFile => _dir.Combine("run", "mysqld.pid");

    public string Socket => _dir.Combine("run", "mysqld.sock");

    public string LogFile => _dir.Combine("log", "error.log");

    public string Combine(params string[] parts) => _dir.Combine(parts);

    /// <summary>The agent's parameters for this sandbox: every path explicit, user root, loopback TCP.</summary>
    public Dictionary<string, string> Parameters => new()
    {
        ["binary"] = Server,
        ["config"] = Config,
        ["datadir"] = DataDirectory,
        ["user"] = "root",
        ["group"] = "root",
        ["log"] = LogFile,
        ["pid"] = PidFile,
        ["socket"] = Socket,
        ["port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["bind_address"] = "127.0.0.1",
    };

    /// <summary>A sandbox with an initialized datadir and a config with <paramref name="flushLogAtTrxCommit"/>.</summary>
    public static async Task<MariaDbSandbox> CreateAsync(int flushLogAtTrxCommit = 1, bool initialized = true, CancellationToken cancellationToken = default)
    {
        var sandbox = new MariaDbSandbox(FreePort());
        Directory.CreateDirectory(sandbox.DataDirectory);
        if (initialized)
        {
            CopyDirectory(await TemplateAsync(cancellationToken), sandbox.DataDirectory);
        }

        // Small and quick: a test server needs no performance schema and little memory.
        await File.WriteAllTextAsync(sandbox.Config, $"""
            [mysqld]
            skip-name-resolve
            performance_schema=OFF
            innodb_buffer_pool_size=16M
            innodb_log_file_size=8M
            innodb_flush_log_at_trx_commit={flushLogAtTrxCommit}
            """ + "\n", cancellationToken);
        return sandbox;
    }

    public AgentRequest Request(AgentAction action, string instance, TimeSpan? timeout = null, IDictionary<string, string>? extra = null)
    {
        var parameters = Parameters;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            parameters[key] = value;
        }

        return new AgentRequest(action, instance) { Parameters = parameters, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
    }

    /// <summary>Server processes whose command line names this datadir: what "exactly one server" is asserted on.</summary>
    public IReadOnlyList<int> ServerProcesses() => ServerProcessesOn(DataDirectory);

    public static IReadOnlyList<int> ServerProcessesOn(string dataDirectory)
    {
        var pids = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), CultureInfo.InvariantCulture, out var pid) || !ProcFs.IsRunning(pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
                if (arguments.Length > 0 && Path.GetFileName(arguments[0]) is "mariadbd" or "mysqld"
                    && arguments.Contains($"--datadir={dataDirectory}"))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }

        return pids;
    }

    public bool TcpPortAnswers()
    {
        using var client = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.Connect(new IPEndPoint(IPAddress.Loopback, Port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits (bounded) until <paramref name="pid"/> is gone or a zombie.</summary>
    public static async Task WaitGoneAsync(int pid, CancellationToken cancellationToken)
    {
        // The agent's own notion of gone: a zombie leader counts only once its last thread (and so its sockets and locks) is gone.
        for (var i = 0; i < 200 && ProcessInfo.IsAlive(pid); i++)
        {
            await Task.Delay(50, cancellationToken);
        }

        Assert.False(ProcessInfo.IsAlive(pid), $"pid {pid} still runs");
    }

    public void Dispose()
    {
        foreach (var pid in ServerProcesses())
        {
            ProcFs.KillQuietly(pid);
        }

        _dir.Dispose();
    }

    private static async Task<string> TemplateAsync(CancellationToken cancellationToken)
    {
        await TemplateLock.WaitAsync(cancellationToken);
        try
        {
            if (s_template is not null)
            {
                return s_template;
            }

            var root = Directory.CreateTempSubdirectory("clusterd-mysql-template-").FullName;
            var datadir = Path.Combine(root, "data");
            var info = new ProcessStartInfo(InstallDb)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--no-defaults", $"--datadir={datadir}", "--user=root", "--skip-test-db", "--innodb-log-file-size=8M" })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"{InstallDb} failed: {await output}{await errors}");
            s_template = datadir;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
            return datadir;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
