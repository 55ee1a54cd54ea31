using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// The parameters of one MySQL/MariaDB resource, read once per action with the defaults of the
/// meta-data applied. Names and defaults follow <c>ocf:heartbeat:mysql</c> (resource-agents
/// <c>heartbeat/mysql-common.sh</c>), so a primitive written for the script runs unchanged.
/// </summary>
internal sealed record MysqlSettings
{
    /// <summary>Tried in order when <c>binary</c> is empty: MariaDB's server, then the compatibility name.</summary>
    public static readonly ImmutableArray<string> DefaultBinaries = ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"];

    public required string Binary { get; init; }

    /// <summary>Passed as <c>--defaults-file</c>; empty means the server's own search order.</summary>
    public required string Config { get; init; }

    public required string DataDirectory { get; init; }

    public required string User { get; init; }

    public required string Group { get; init; }

    public required string LogFile { get; init; }

    public required string PidFile { get; init; }

    public required string Socket { get; init; }

    public required string TestUser { get; init; }

    public required string TestPassword { get; init; }

    /// <summary>Read at depth 10 and above, <c>db.table</c>; null when empty.</summary>
    public QualifiedTable? TestTable { get; init; }

    /// <summary>Written at depth 10 and above when set, <c>db.table</c>.</summary>
    public QualifiedTable? HeartbeatTable { get; init; }

    public bool EnableCreation { get; init; }

    public ImmutableArray<string> AdditionalParameters { get; init; } = [];

    public int? Port { get; init; }

    public string? BindAddress { get; init; }

    /// <summary>Where <c>mariadb-install-db</c> is looked for when <see cref="EnableCreation"/> asks for it.</summary>
    public string InstallDbBinary => Path.Combine(
        Path.GetDirectoryName(Path.GetDirectoryName(Binary) ?? "/usr/sbin") is { Length: > 0 } prefix ? prefix : "/usr",
        "bin",
        "mariadb-install-db");

    /// <summary>The system database a usable datadir holds (created by <c>mariadb-install-db</c>).</summary>
    public string SystemDatabase => Path.Combine(DataDirectory, "mysql");

    /// <summary>Reads the request's parameters through <paramref name="parameter"/> (value or declared default).</summary>
    public static MysqlSettings? TryRead(Func<string, string?> parameter, out string problem)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        string Text(string name) => (parameter(name) ?? "").Trim();

        problem = "";
        var binary = Text("binary");
        if (binary.Length == 0)
        {
            binary = DefaultBinaries.FirstOrDefault(File.Exists) ?? DefaultBinaries[0];
        }

        foreach (var (name, value) in new[] { ("binary", binary), ("datadir", Text("datadir")), ("pid", Text("pid")), ("socket", Text("socket")), ("log", Text("log")) })
        {
            if (!Path.IsPathFullyQualified(value))
            {
                problem = $"{name} '{value}' must be an absolute path";
                return null;
            }
        }

        var config = Text("config");
        if (config.Length > 0 && !Path.IsPathFullyQualified(config))
        {
            problem = $"config '{config}' must be an absolute path";
            return null;
        }

        if (!QualifiedTable.TryParse(Text("test_table"), "test_table", out var testTable, out problem)
            || !QualifiedTable.TryParse(Text("heartbeat_table"), "heartbeat_table", out var heartbeatTable, out problem))
        {
            return null;
        }

        int? port = null;
        if (Text("port") is { Length: > 0 } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                problem = $"port '{portText}' is not a TCP port (1-65535)";
                return null;
            }

            port = p;
        }

        var bind = Text("bind_address");
        if (bind.Length > 0 && !IPAddress.TryParse(bind, out _) && bind is not "*" and not "::")
        {
            problem = $"bind_address '{bind}' is not an IP address";
            return null;
        }

        if (!ShellWords.TrySplit(parameter("additional_parameters") ?? "", out var additional, out var splitProblem))
        {
            problem = $"additional_parameters: {splitProblem}";
            return null;
        }

        var user = Text("user");
        var group = Text("group");
        if (user.Length == 0 || group.Length == 0)
        {
            problem = "user and group must not be empty";
            return null;
        }

        return new MysqlSettings
        {
            Binary = binary,
            Config = config,
            DataDirectory = Path.TrimEndingDirectorySeparator(Text("datadir")),
            User = user,
            Group = group,
            LogFile = Text("log"),
            PidFile = Text("pid"),
            Socket = Text("socket"),
            TestUser = Text("test_user"),
            TestPassword = parameter("test_passwd") ?? "",
            TestTable = testTable,
            HeartbeatTable = heartbeatTable,
            EnableCreation = IsTrue(Text("enable_creation")),
            AdditionalParameters = additional,
            Port = port,
            BindAddress = bind.Length > 0 ? bind : null,
        };
    }

    /// <summary>Pacemaker's boolean spellings (<c>crm_is_true</c>): true, on, yes, y, 1.</summary>
    private static bool IsTrue(string value) => value.ToLowerInvariant() is "true" or "on" or "yes" or "y" or "1";
}
