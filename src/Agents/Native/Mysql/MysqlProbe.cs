using MySqlConnector;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// Asks a server whether it works, through MySqlConnector over the resource's Unix socket: a
/// fresh, unpooled connection every time (a monitor proves the server still accepts new clients,
/// not that an old session survived), one query for liveness and the durability settings, and at
/// depth 10 the script's read check of <c>test_table</c> plus an optional heartbeat write.
/// Failures surface as <see cref="MySqlException"/>; cancellation as
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal static class MysqlProbe
{
    /// <summary>MySQL error 1045: access denied. The server is up; the credentials are wrong.</summary>
    public const int AccessDenied = 1045;

    private const int NoSuchTable = 1146;
    private const int UnknownDatabase = 1049;

    /// <summary>Connects, runs the status query (and the deep checks from depth 10), and closes.</summary>
    public static async Task<DurabilitySettings> QueryAsync(MysqlSettings settings, int depth, string instance, string? node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var connection = new MySqlConnection(ConnectionString(settings));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        DurabilitySettings durability;
        await using (var command = new MySqlCommand(
            "SELECT @@global.innodb_flush_log_at_trx_commit, @@global.sync_binlog, @@global.log_bin", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("the status query returned no row");
            }

            durability = new DurabilitySettings(
                Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) != 0);
        }

        if (depth >= 10)
        {
            if (settings.TestTable is { } table)
            {
                await using var count = new MySqlCommand($"SELECT COUNT(*) FROM {table.Quoted}", connection);
                await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            if (settings.HeartbeatTable is { } heartbeat)
            {
                await WriteHeartbeatAsync(connection, heartbeat, instance, node ?? Environment.MachineName, cancellationToken).ConfigureAwait(false);
            }
        }

        return durability;
    }

    /// <summary>True when something accepts a connection on <paramref name="socket"/> (a server of any kind).</summary>
    public static async Task<bool> SocketAnswersAsync(string socket, CancellationToken cancellationToken)
    {
        if (!File.Exists(socket))
        {
            return false;
        }

        using var client = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            await client.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>A one-line account of a failed query, for exit reasons.</summary>
    public static string Describe(Exception e) => e switch
    {
        MySqlException m when m.Number != 0 => $"error {m.Number}: {m.Message}",
        _ => e.Message,
    };

    private static string ConnectionString(MysqlSettings settings) => new MySqlConnectionStringBuilder
    {
        Server = settings.Socket,
        ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
        UserID = settings.TestUser,
        Password = settings.TestPassword,
        Pooling = false,
        SslMode = MySqlSslMode.None,
        // The action's token bounds every wait; these only stop a single step from outliving it by much.
        ConnectionTimeout = 30,
        DefaultCommandTimeout = 30,
        ApplicationName = "clusterd-mysql-agent",
    }.ConnectionString;

    /// <summary>
    /// Upserts one row per resource instance; the table (and its database) is created on first
    /// use only, so an existing table costs one statement and the binary log sees no DDL.
    /// </summary>
    private static async Task WriteHeartbeatAsync(MySqlConnection connection, QualifiedTable table, string instance, string node, CancellationToken cancellationToken)
    {
        var upsert = $"REPLACE INTO {table.Quoted} (instance, node, beat) VALUES (@instance, @node, NOW(6))";
        try
        {
            await ExecuteAsync(connection, upsert, instance, node, cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException e) when (e.Number is NoSuchTable or UnknownDatabase)
        {
            await ExecuteAsync(connection, $"CREATE DATABASE IF NOT EXISTS `{table.Database}`", instance, node, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                $"CREATE TABLE IF NOT EXISTS {table.Quoted} (instance VARCHAR(64) NOT NULL PRIMARY KEY, node VARCHAR(255) NOT NULL, beat TIMESTAMP(6) NOT NULL) ENGINE=InnoDB",
                instance,
                node,
                cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, upsert, instance, node, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, string instance, string node, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@instance", instance);
        command.Parameters.AddWithValue("@node", node);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
