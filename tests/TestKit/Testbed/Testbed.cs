using System.Globalization;
using ClusterD.Admin.V1;
using ClusterD.Daemon.Demo;
using ClusterD.TestKit.Processes;
using Grpc.Net.Client;

namespace ClusterD.TestKit.Testbed;

/// <summary>
/// The end-to-end testbed (<c>tests/e2e/testbed/testbed</c>) driven from .NET: the seed's MySQL stack on the
/// network-namespace nodes hadb01 and hadb02, haproxy at 198.18.0.1:3306 in front. Needs root. One testbed
/// per machine at a time (fixed names and addresses); <see cref="DisposeAsync"/> always takes it down.
/// The nodes run clusterd or, for side-by-side figures, Corosync + Pacemaker (<see cref="Stack"/>) with the
/// same crm configuration; status, standby and the settled check work for both.
/// </summary>
public sealed class Testbed : IAsyncDisposable
{
    public const string LoadBalancer = "198.18.0.1";
    public const int Port = 3306;
    public const string Database = "azureha";
    public const string User = "app";
    public const string Password = "app-secret";
    public const string Drbd = "drbd_mysql";
    public const string Filesystem = "fs_mysql";
    public const string Mysqld = "mysqld";

    public const string ClusterdStack = "clusterd";
    public const string PacemakerStack = "pacemaker";

    public static readonly string[] Nodes = ["hadb01", "hadb02"];

    /// <summary>The other node of the two.</summary>
    public static string PeerOf(string node) => node == Nodes[0] ? Nodes[1] : Nodes[0];

    private readonly Dictionary<string, GrpcChannel> _channels = [];

    private Testbed(string directory, int tokenMs, string stack)
    {
        Directory = directory;
        TokenMs = tokenMs;
        Stack = stack;
    }

    public static string Script => Path.Combine(RepoPaths.Root, "tests", "e2e", "testbed", "testbed");

    /// <summary>Where the testbed keeps its state (per-node logs, the DRBD stand-in's record).</summary>
    public string Directory { get; }

    public int TokenMs { get; }

    /// <summary>What the nodes run: <see cref="ClusterdStack"/> or <see cref="PacemakerStack"/>.</summary>
    public string Stack { get; }

    public bool IsPacemaker => Stack == PacemakerStack;

    /// <summary>
    /// Why the testbed cannot run here (not root, a program missing...: the check of <c>clusterd demo --mysql</c>,
    /// and for <see cref="PacemakerStack"/> Pacemaker's programs too), or null.
    /// </summary>
    public static string? Unavailable(string stack = ClusterdStack)
    {
        if (TestbedPrerequisites.Check(TestbedPrerequisites.Probe(checkFree: false)) is { Count: > 0 } missing)
        {
            return "the testbed cannot run here:\n" + TestbedPrerequisites.Explain(missing);
        }

        string[] pacemaker = ["/usr/sbin/corosync", "/usr/sbin/pacemakerd", "/usr/sbin/crm", "/usr/lib/ocf/resource.d/heartbeat/mysql", "/usr/sbin/modprobe"];
        return stack == PacemakerStack && pacemaker.FirstOrDefault(p => !File.Exists(p)) is { } absent
            ? $"{absent} is missing (apt-get install corosync pacemaker crmsh resource-agents kmod)"
            : null;
    }

    /// <summary>
    /// Builds the testbed and waits until the stack runs: Promoted and the group on one node, the peer
    /// Unpromoted, and a write through the load balancer acknowledged.
    /// </summary>
    public static async Task<Testbed> UpAsync(
        int tokenMs = 1000, string fencingDelay = "0", string? clusterd = null, TimeSpan? limit = null,
        string stack = ClusterdStack, CancellationToken cancellationToken = default)
    {
        var directory = Environment.GetEnvironmentVariable("CLUSTERD_TESTBED_DIR") ?? "/run/clusterd-testbed";
        var bed = new Testbed(directory, tokenMs, stack);
        await DownAsync(cancellationToken);
        try
        {
            string[] up = ["up", "--stack", stack, "--token", tokenMs.ToString(CultureInfo.InvariantCulture), "--fencing-delay", fencingDelay];
            await bed.RunAsync(stack == PacemakerStack ? up : [.. up, "--clusterd", clusterd ?? RepoPaths.Clusterd], cancellationToken);
            // Pacemaker's start takes longer: its controllers wait for each other before electing a DC.
            await bed.WaitForPlacementAsync(limit ?? TimeSpan.FromSeconds(stack == PacemakerStack ? 180 : 90), cancellationToken);
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes down whatever testbed is up (always safe to run).</summary>
    public static Task DownAsync(CancellationToken cancellationToken = default) => RunScriptAsync(["down"], cancellationToken);

    /// <summary>The connection string of a client of the service (through the load balancer).</summary>
    public static string ConnectionString(int connectSeconds = 1, int commandSeconds = 2) =>
        $"Server={LoadBalancer};Port={Port};User ID={User};Password={Password};Database={Database};Pooling=false;"
        + $"Connection Timeout={connectSeconds};Default Command Timeout={commandSeconds}";

    public Task CrashAsync(string node, CancellationToken cancellationToken = default) => RunAsync(["crash", node], cancellationToken);

    public Task BootAsync(string node, CancellationToken cancellationToken = default) => RunAsync(["boot", node], cancellationToken);

    public Task FreezeAsync(string node, TimeSpan duration, CancellationToken cancellationToken = default) =>
        RunAsync(["freeze", node, duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)], cancellationToken);

    public Task ThawAsync(string node, CancellationToken cancellationToken = default) => RunAsync(["thaw", node], cancellationToken);

    public Task CutLinkAsync(string node, CancellationToken cancellationToken = default) => RunAsync(["cut-link", node], cancellationToken);

    public Task HealAsync(CancellationToken cancellationToken = default) => RunAsync(["heal"], cancellationToken);

    /// <summary>Runs a command inside <paramref name="node"/> (its namespaces) and returns its output.</summary>
    public async Task<string> ExecAsync(string node, IEnumerable<string> command, CancellationToken cancellationToken = default) =>
        (await RunAsync(["exec", node, .. command], cancellationToken)).Stdout;

    /// <summary>The node's power as the testbed knows it: "on" or "off".</summary>
    public string Power(string node) =>
        File.Exists(NodeFile(node, "power")) ? File.ReadAllText(NodeFile(node, "power")).Trim() : "off";

    public string NodeFile(string node, string name) => Path.Combine(Directory, "nodes", node, name);

    public ClusterAdmin.ClusterAdminClient Admin(string node)
    {
        if (!_channels.TryGetValue(node, out var channel))
        {
            channel = AdminChannel.ForUnixSocket(NodeFile(node, "clusterd.sock"));
            _channels[node] = channel;
        }

        return new ClusterAdmin.ClusterAdminClient(channel);
    }

    public async Task<ClusterStatusReply> StatusAsync(string node, CancellationToken cancellationToken = default)
    {
        if (!IsPacemaker)
        {
            return await Admin(node).GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
        }

        var crmMon = await RunScriptAsync(["exec", node, "crm_mon", "-1", "--output-as=xml"], cancellationToken);
        if (crmMon.ExitCode != 0)
        {
            throw new InvalidOperationException($"crm_mon on {node} failed ({crmMon.ExitCode}): {crmMon.Stderr}");
        }

        var status = PacemakerView.FromCrmMon(crmMon.Stdout, dcState: null);
        var dcState = status.Dc.Length == 0 ? null : await RunScriptAsync(["exec", node, "crmadmin", "-q", "-S", status.Dc], cancellationToken);
        return PacemakerView.FromCrmMon(crmMon.Stdout, dcState is { ExitCode: 0 } ? (dcState.Stdout + dcState.Stderr).Trim() : "unknown");
    }

    /// <summary>Puts <paramref name="node"/> in standby or takes it out: clusterd's Standby, or Pacemaker's <c>crm_standby</c> run in that node.</summary>
    public async Task StandbyAsync(string node, bool on, CancellationToken cancellationToken = default)
    {
        if (IsPacemaker)
        {
            await RunAsync(["exec", node, "crm_standby", "--node", node, "--update", on ? "on" : "off"], cancellationToken);
        }
        else
        {
            await Admin(node).StandbyAsync(new StandbyRequest { Node = node, On = on }, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Pacemaker's and Corosync's logs of both nodes (the Pacemaker stack).</summary>
    public PacemakerLog PacemakerLogs() =>
        PacemakerLog.Read(Nodes.SelectMany(n => new[] { NodeFile(n, "pcmk/log/pacemaker.log"), NodeFile(n, "corosync.log") }), DateTime.UtcNow.Year);

    /// <summary>Subscribes to <paramref name="node"/>'s events: the watch sees every event from its return on.</summary>
    public async Task<EventWatch> WatchAsync(string node, CancellationToken cancellationToken = default)
    {
        var call = Admin(node).WatchEvents(new WatchEventsRequest(), cancellationToken: cancellationToken);
        await call.ResponseHeadersAsync; // sent once the watcher is subscribed
        return new EventWatch(call, this);
    }

    /// <summary>
    /// Boots <paramref name="node"/> and waits until it is back as the DC saw it: its DRBD instance started and
    /// monitored (its promotion score reported) and the transition that followed completed, then until the
    /// cluster settles; returns the active node then, so a failback would show. The DC is
    /// <paramref name="survivor"/> or, after the join, possibly the booted node itself: both are watched, the
    /// booted one from the moment its admin socket answers (before it joins).
    /// </summary>
    public async Task<string> BootAndSettleAsync(string node, string survivor, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var seen = System.Threading.Channels.Channel.CreateUnbounded<ClusterEvent>();
        using var fromSurvivor = await WatchAsync(survivor, timeout.Token);
        await BootAsync(node, cancellationToken);
        var watching = new List<Task> { fromSurvivor.ForwardAsync(seen.Writer, timeout.Token) };
        EventWatch? fromNode = null;
        try
        {
            while (fromNode is null)
            {
                try
                {
                    fromNode = await WatchAsync(node, timeout.Token);
                }
                catch (Grpc.Core.RpcException) when (!timeout.IsCancellationRequested)
                {
                    await Task.Delay(20, timeout.Token); // its socket is not up yet
                }
            }

            watching.Add(fromNode.ForwardAsync(seen.Writer, timeout.Token));
            var monitored = false;
            await foreach (var e in seen.Reader.ReadAllAsync(timeout.Token))
            {
                monitored |= e.Kind == EventKind.ActionFinished && e.Resource == Drbd && e.Node == node && e.Action.StartsWith("monitor-", StringComparison.Ordinal);
                if (monitored && e.Kind == EventKind.Transition && e.HasSucceeded)
                {
                    break; // the transition that ran the monitor completed (or was aborted): anything it caused is scheduled
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{node} did not come back (started and monitored) within {limit.TotalSeconds} s\n{Diagnostics()}");
        }
        finally
        {
            await timeout.CancelAsync();
            fromNode?.Dispose();
            await Task.WhenAll(watching.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        return await WaitForPlacementAsync(limit, cancellationToken);
    }

    /// <summary>The status of a node that answers, trying the powered-on ones; null when none does.</summary>
    public async Task<ClusterStatusReply?> AnyStatusAsync(CancellationToken cancellationToken = default)
    {
        foreach (var node in Nodes.Where(n => Power(n) == "on"))
        {
            try
            {
                return await StatusAsync(node, cancellationToken);
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or InvalidOperationException or System.Xml.XmlException or FormatException)
            {
                // Not serving (starting, frozen or gone): ask the other.
            }
        }

        return null;
    }

    /// <summary>
    /// Waits until the cluster is settled with the service up: every powered-on node online in one quorate view,
    /// none unclean, nothing pending, Promoted and the group Started on one node, every other powered-on node
    /// Unpromoted, and a write through the load balancer acknowledged. Returns the active node.
    /// </summary>
    public async Task<string> WaitForPlacementAsync(TimeSpan limit, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        string why = "no node answered";
        try
        {
            while (true)
            {
                var status = await AnyStatusAsync(timeout.Token);
                if (status is not null && (why = Settled(status)) is { Length: 0 })
                {
                    var active = RoleNodes(status, Drbd, "Promoted")[0];
                    if (await WriteOnceAsync(timeout.Token) is { } served && served == active)
                    {
                        return active;
                    }

                    why = $"settled on {active}, but no write through the load balancer was acknowledged by it yet";
                }

                await Task.Delay(100, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the testbed did not settle within {limit.TotalSeconds} s: {why}\n{Diagnostics()}");
        }
    }

    /// <summary>Empty when <paramref name="status"/> shows the settled, running service; else what is not so.</summary>
    public string Settled(ClusterStatusReply status)
    {
        var on = Nodes.Where(n => Power(n) == "on").ToArray();
        var online = status.Nodes.Where(n => n.Online).Select(n => n.Name).Order().ToArray();
        if (!status.Quorate || !online.SequenceEqual(on))
        {
            return $"view [{string.Join(' ', online)}] (quorate {status.Quorate}), powered on [{string.Join(' ', on)}]";
        }

        if (status.Nodes.FirstOrDefault(n => n.Unclean) is { } unclean)
        {
            return $"{unclean.Name} is unclean";
        }

        if (status.PendingActions.Count > 0)
        {
            return $"{status.PendingActions.Count} actions pending";
        }

        var promoted = RoleNodes(status, Drbd, "Promoted");
        if (promoted.Length != 1)
        {
            return $"{Drbd} Promoted on [{string.Join(' ', promoted)}]";
        }

        foreach (var member in new[] { Filesystem, Mysqld })
        {
            if (!RoleNodes(status, member, "Started").SequenceEqual(promoted))
            {
                return $"{member} not started (only) on {promoted[0]}";
            }
        }

        var unpromoted = RoleNodes(status, Drbd, "Unpromoted");
        var expected = on.Where(n => n != promoted[0] && !status.Nodes.Any(s => s.Name == n && s.Standby)).ToArray();
        return unpromoted.Order().SequenceEqual(expected) ? "" : $"{Drbd} Unpromoted on [{string.Join(' ', unpromoted)}], expected [{string.Join(' ', expected)}]";
    }

    public static string[] RoleNodes(ClusterStatusReply status, string resource, string role) =>
        status.Resources.Where(r => r.Id == resource).SelectMany(r => r.Instances).Where(i => i.Role == role).Select(i => i.Node).Order().ToArray();

    /// <summary>One write through the load balancer; the node that served it, or null when it failed.</summary>
    public static async Task<string?> WriteOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new MySqlConnector.MySqlConnection(ConnectionString());
            await connection.OpenAsync(cancellationToken);
            await using var command = new MySqlConnector.MySqlCommand("INSERT INTO things (id, name, node) VALUES (-1, 'probe', @@hostname) ON DUPLICATE KEY UPDATE node = @@hostname; SELECT @@hostname", connection);
            return (string?)await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception e) when (e is MySqlConnector.MySqlException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>One node's event stream, subscribed.</summary>
    public sealed class EventWatch(Grpc.Core.AsyncServerStreamingCall<ClusterEvent> call, Testbed bed) : IDisposable
    {
        /// <summary>The next event (from the subscription on) that satisfies <paramref name="condition"/>.</summary>
        public async Task<ClusterEvent> WaitForAsync(Func<ClusterEvent, bool> condition, TimeSpan limit, CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                while (await call.ResponseStream.MoveNext(timeout.Token))
                {
                    if (condition(call.ResponseStream.Current))
                    {
                        return call.ResponseStream.Current;
                    }
                }
            }
            catch (Grpc.Core.RpcException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            throw new TimeoutException($"no such event within {limit.TotalSeconds} s\n{bed.Diagnostics()}");
        }

        /// <summary>Writes every event to <paramref name="writer"/> until the stream ends or is cancelled.</summary>
        public async Task ForwardAsync(System.Threading.Channels.ChannelWriter<ClusterEvent> writer, CancellationToken cancellationToken)
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                await writer.WriteAsync(call.ResponseStream.Current, cancellationToken);
            }
        }

        public void Dispose() => call.Dispose();
    }

    /// <summary>
    /// What the client and the DRBD record show that must never happen: an acknowledged write missing, two Primaries,
    /// a state change DRBD refused, a write acknowledged by a node that was not Primary at that moment.
    /// </summary>
    public async Task<IReadOnlyList<string>> ViolationsAsync(WriteLoad load, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        var missing = await load.MissingAsync(cancellationToken);
        if (missing.Count > 0)
        {
            violations.Add($"{missing.Count} acknowledged writes are missing: {string.Join(' ', missing.Take(20))}");
        }

        var record = DrbdRecord();
        if (record.MaxPrimaries > 1)
        {
            violations.Add("two Primaries at once");
        }

        violations.AddRange(record.Refusals.Select(r => $"DRBD refused: {r.Node} {r.What} at {r.Time:HH:mm:ss.fff}"));
        violations.AddRange(load.Acknowledged.Where(w => !record.WasPrimary(w.Node, w.Sent, w.Acknowledged)).Take(20)
            .Select(w => $"write {w.Id.ToString(CultureInfo.InvariantCulture)} acknowledged by {w.Node} at {w.Acknowledged:HH:mm:ss.fff}, which was not Primary"));
        return violations;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; after <paramref name="limit"/> fails naming <paramref name="what"/>, with the logs.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            while (!await condition())
            {
                await Task.Delay(50, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"not within {limit.TotalSeconds} s: {what}\n{Diagnostics()}");
        }
    }

    public Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => Task.FromResult(condition()), limit, what, cancellationToken);

    /// <summary>The pid of the MariaDB server running on <paramref name="node"/> (its pid file, a live process), or null.</summary>
    public int? MysqldPid(string node)
    {
        var path = NodeFile(node, Path.Combine("mysqld", "mysqld.pid"));
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            && System.IO.Directory.Exists($"/proc/{pid}") ? pid : null;
    }

    /// <summary>kill -9 of the MariaDB server on <paramref name="node"/>; returns its pid.</summary>
    public async Task<int> KillMysqldAsync(string node, CancellationToken cancellationToken = default)
    {
        var pid = MysqldPid(node) ?? throw new InvalidOperationException($"no mysqld runs on {node}\n{Diagnostics()}");
        await ExecAsync(node, ["kill", "-9", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        return pid;
    }

    /// <summary>The DRBD stand-in's record: every role change of either node, with the refusals.</summary>
    public DrbdRecord DrbdRecord() => TestKit.Testbed.DrbdRecord.Read(Path.Combine(Directory, "drbd", "events"));

    /// <summary>The logs a failed scenario needs: each daemon's tail, the DRBD record and the power log.</summary>
    public string Diagnostics()
    {
        var parts = new List<string>();
        foreach (var node in Nodes)
        {
            parts.Add(IsPacemaker
                ? $"--- {node} pacemaker.log (notices, tail) ---\n{string.Join('\n', TailLines(NodeFile(node, "pcmk/log/pacemaker.log"), 4000).Where(l => l.Contains("notice:", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal)).TakeLast(60))}"
                : $"--- {node} clusterd.log (tail) ---\n{Tail(NodeFile(node, "clusterd.log"), 60)}");
            parts.Add($"--- {node} mysqld error.log (tail) ---\n{Tail(Path.Combine(Directory, "nodes", node, "mysqld", "error.log"), 15)}");
        }

        parts.Add($"--- DRBD record ---\n{Tail(Path.Combine(Directory, "drbd", "events"), 40)}");
        parts.Add($"--- power log ---\n{Tail(Path.Combine(Directory, "power.log"), 20)}");
        return string.Join('\n', parts);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }

        _channels.Clear();
        if (Environment.GetEnvironmentVariable("CLUSTERD_TESTBED_KEEP") == "1")
        {
            return;
        }

        await RunScriptAsync(["down"], CancellationToken.None);
    }

    private async Task<TestbedScript.Result> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var result = await RunScriptAsync(args, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"testbed {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}\n{Diagnostics()}");
        }

        return result;
    }

    private static Task<TestbedScript.Result> RunScriptAsync(string[] args, CancellationToken cancellationToken) =>
        new TestbedScript(Script, environment: new Dictionary<string, string> { ["CLUSTERCTL_BIN"] = $"dotnet {RepoPaths.Clusterctl}" })
            .TryRunAsync(args, TimeSpan.FromMinutes(2), cancellationToken);

    private static string Tail(string path, int lines) =>
        File.Exists(path) ? string.Join('\n', TailLines(path, lines)) : "(none)";

    private static IEnumerable<string> TailLines(string path, int lines) =>
        File.Exists(path) ? File.ReadLines(path).TakeLast(lines) : [];
}
