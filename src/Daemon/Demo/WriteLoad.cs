using MySqlConnector;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// A client of the service: writes a row with a unique id into <c>things (id, name, node)</c> through the load
/// balancer every 10-20 ms and records every write the server acknowledged (with the node that served it,
/// its <c>@@hostname</c>) and every failure. A failed write drops the connection; the next one opens a new
/// one, as a cluster-aware application would. <c>clusterd demo --mysql</c>, the end-to-end tests and the
/// failover harness share it.
/// </summary>
public sealed class WriteLoad : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Write> _acknowledged = [];
    private readonly List<Failure> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly Task _loop;
    private long _nextId;

    private WriteLoad(string connectionString, TimeProvider time, long firstId)
    {
        _connectionString = connectionString;
        _time = time;
        _nextId = firstId;
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Write(long Id, string Node, DateTimeOffset Sent, DateTimeOffset Acknowledged);

    public sealed record Failure(long Id, DateTimeOffset Time, string Message);

    /// <summary>
    /// Starts writing ids from <paramref name="firstId"/> on over <paramref name="connectionString"/>, whose
    /// timeouts bound how long one write may hang on a node that went silent.
    /// </summary>
    public static WriteLoad Start(string connectionString, long firstId = 1, TimeProvider? time = null) =>
        new(connectionString, time ?? TimeProvider.System, firstId);

    public IReadOnlyList<Write> Acknowledged
    {
        get
        {
            lock (_lock)
            {
                return [.. _acknowledged];
            }
        }
    }

    public IReadOnlyList<Failure> Failures
    {
        get
        {
            lock (_lock)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Waits until a write acknowledged after <paramref name="after"/> (by <paramref name="node"/> if given) exists.</summary>
    public async Task<Write> WaitForWriteAsync(DateTimeOffset after, string? node, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        while (true)
        {
            if (FirstAfter(after, node) is { } write)
            {
                return write;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var failures = Failures;
                var last = failures.Count > 0 ? failures[^1] : null;
                throw new TimeoutException($"no write acknowledged{(node is null ? "" : " by " + node)} within {limit.TotalSeconds} s after {after:HH:mm:ss.fff}"
                    + (last is null ? "" : $"; the last write failed at {last.Time:HH:mm:ss.fff}: {last.Message}"));
            }
        }
    }

    public Write? FirstAfter(DateTimeOffset after, string? node = null)
    {
        lock (_lock)
        {
            return _acknowledged.FirstOrDefault(w => w.Sent >= after && (node is null || w.Node == node));
        }
    }

    /// <summary>The last acknowledged write sent before <paramref name="before"/>.</summary>
    public Write? LastBefore(DateTimeOffset before)
    {
        lock (_lock)
        {
            return _acknowledged.LastOrDefault(w => w.Sent < before);
        }
    }

    /// <summary>
    /// The nodes that served the writes, in order, one entry per run of writes on the same node (e.g. [hadb01,
    /// hadb02] after one failover). A node that appears again without a planned move wrote after being replaced.
    /// </summary>
    public IReadOnlyList<string> ServingNodes()
    {
        var runs = new List<string>();
        foreach (var write in Acknowledged)
        {
            if (runs.Count == 0 || runs[^1] != write.Node)
            {
                runs.Add(write.Node);
            }
        }

        return runs;
    }

    /// <summary>The acknowledged ids the database does not hold: read back through the load balancer.</summary>
    public async Task<IReadOnlyList<long>> MissingAsync(CancellationToken cancellationToken)
    {
        var stored = new HashSet<long>();
        // Reading every id back may take longer than one write is given.
        var patient = new MySqlConnectionStringBuilder(_connectionString) { ConnectionTimeout = 5, DefaultCommandTimeout = 30 };
        await using var connection = new MySqlConnection(patient.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT id FROM things", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(reader.GetInt64(0));
        }

        return Acknowledged.Select(w => w.Id).Where(id => !stored.Contains(id)).ToArray();
    }

    /// <summary>Stops writing (the write in flight finishes or fails first).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        MySqlConnection? connection = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var id = _nextId++;
                var sent = _time.GetUtcNow();
                try
                {
                    if (connection is null)
                    {
                        connection = new MySqlConnection(_connectionString);
                        await connection.OpenAsync(_stop.Token);
                    }

                    await using var command = new MySqlCommand("INSERT INTO things (id, name, node) VALUES (@id, 'load', @@hostname); SELECT @@hostname", connection);
                    command.Parameters.AddWithValue("@id", id);
                    var node = (string?)await command.ExecuteScalarAsync(_stop.Token) ?? "?";
                    lock (_lock)
                    {
                        _acknowledged.Add(new Write(id, node, sent, _time.GetUtcNow()));
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    lock (_lock)
                    {
                        _failures.Add(new Failure(id, _time.GetUtcNow(), e.Message));
                    }

                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }

                // The client's pace: a write every 10-20 ms.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 21)), _time, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
