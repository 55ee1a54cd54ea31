using System.Data.Common;
using System.Globalization;
using ClusterD.Admin.V1;
using Entry = ClusterD.Daemon.Demo.DemoTimeline.Entry;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// <c>clusterd demo --mysql</c>: the same drills on the seed's real stack, built by the end-to-end testbed of the
/// source tree (<c>tests/e2e/testbed/testbed</c>: network-namespace nodes hadb01 and hadb02 running this clusterd,
/// ext3 on loop devices behind the DRBD stand-in, MariaDB, haproxy at 198.18.0.1:3306, the power-off fence device
/// fence_testbed). A client writes a row with a unique id through haproxy every 10-20 ms all along; each drill
/// prints its timeline and what the client saw, and the end checks that every acknowledged row is in the table
/// and that DRBD never had two Primaries. The testbed is always taken down, also on failure and on Ctrl-C.
/// </summary>
internal static partial class DemoDrill
{
    /// <summary>One command of the testbed (up builds everything; the others act on what is there).</summary>
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Runs the MySQL demo on <paramref name="host"/>, or, when the host lacks something, says what (each with the
    /// Debian package that provides it) on <paramref name="error"/> and returns <see cref="ExitCodes.Unavailable"/>
    /// without starting anything. Cancelling <paramref name="cancellationToken"/> (Ctrl-C) stops the drills and
    /// takes the testbed down.
    /// </summary>
    public static async Task<int> RunMysqlAsync(int tokenMs, TestbedPrerequisites.Host host, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (TestbedPrerequisites.Check(host) is { Count: > 0 } missing)
        {
            await error.WriteLineAsync("clusterd demo --mysql cannot run on this host, nothing was started. It needs:");
            await error.WriteLineAsync(TestbedPrerequisites.Explain(missing));
            await error.WriteLineAsync("(clusterd demo without --mysql needs none of these.)");
            return ExitCodes.Unavailable;
        }

        var time = TimeProvider.System;
        var logs = Directory.CreateTempSubdirectory("clusterd-demo-mysql-").FullName;
        var script = new TestbedScript(host.Script!, Path.Combine(logs, "testbed.log"));
        var start = time.GetTimestamp();
        void Say(string text) => output.WriteLine($"[{time.GetElapsedTime(start).TotalMilliseconds,8:F0} ms] {text}");

        var settleLimit = TimeSpan.FromSeconds(90) + TimeSpan.FromMilliseconds(tokenMs * 10);
        var nodes = new List<TestbedNode>();
        DemoTimeline? timeline = null;
        WriteLoad? load = null;
        var failed = false;
        var ct = cancellationToken;
        try
        {
            Say($"MySQL demo on the end-to-end testbed ({script.ScriptPath}), token {tokenMs} ms, this clusterd ({DemoNode.SelfBinary()}) on both nodes");
            await script.RunAsync(["up", "--token", tokenMs.ToString(CultureInfo.InvariantCulture), "--fencing-delay", "0", "--clusterd", DemoNode.SelfBinary(), "--no-load"], ScriptLimit, ct);
            var env = ParseEnv(await script.RunAsync(["env"], ScriptLimit, ct));
            nodes.AddRange(env["TESTBED_NODES"].Split(' ').Select(n => new TestbedNode(n, Path.Combine(env["TESTBED_DIR"], "nodes", n))));
            Say($"testbed up: {string.Join(", ", nodes.Select(n => $"{n.Name} on {env["TESTBED_" + n.Name.ToUpperInvariant()]}"))} (network namespaces), "
                + $"one disk image with ext3 and MariaDB's datadir behind the DRBD stand-in, haproxy at {env["TESTBED_LB"]}, fence device fence_testbed");
            foreach (var node in nodes)
            {
                var status = await node.WaitForStatusAsync(s => s.Quorate && s.Nodes.All(n => n.Online), TimeSpan.FromSeconds(30), time, ct);
                Say($"{node.Name}: view {status.RingId} with [{string.Join(" ", status.Nodes.Where(n => n.Online).Select(n => n.Name))}], quorate, DC {status.Dc}");
            }

            // The testbed's configuration is the seed's cluster.conf with its paths and names adapted (docs/e2e.md).
            var configuration = await File.ReadAllTextAsync(Path.Combine(env["TESTBED_DIR"], "cluster.crm"), ct);
            var loaded = await nodes[0].Client.LoadConfigurationAsync(new LoadConfigurationRequest { Text = configuration, Name = "cluster.crm" }, cancellationToken: ct);
            Say($"LoadConfiguration on {nodes[0].Name}: {loaded.Message}");
            foreach (var line in configuration.TrimEnd().Split('\n'))
            {
                output.WriteLine("    " + line);
            }

            Say(DemoFiles.PriorityFencingNote);
            var placed = await WaitForDcAsync(nodes, s => DemoStatus.Active(s) is { } a && DemoStatus.Settled(s, a, nodes.First(n => n.Name != a).Name), settleLimit, time, cancellationToken: ct);
            var active = DemoStatus.Active(placed)!;
            var passive = nodes.First(n => n.Name != active).Name;
            var members = DemoStatus.GroupMembers(placed);
            Say($"placed: {active} is active (drbd_mysql Promoted, {string.Join(" and ", members)} started), {passive} holds drbd_mysql Unpromoted");
            PrintStatus(output, placed);

            var loadAt = time.GetUtcNow();
            load = WriteLoad.Start(ConnectionString(env));
            var firstWrite = await load.WaitForWriteAsync(loadAt, active, TimeSpan.FromSeconds(30), ct);
            Say($"client: writes a row with a unique id into {env["TESTBED_DB"]}.things through haproxy {env["TESTBED_LB"]} (user {env["TESTBED_USER"]}) "
                + $"every 10-20 ms; write {firstWrite.Id} acknowledged by {firstWrite.Node}");
            timeline = await DemoTimeline.SubscribeAsync(nodes, TimeSpan.FromSeconds(10), time);

            // 1. Planned switchover: the active node goes into standby, everything moves in the safe order.
            var standbyAt = time.GetUtcNow();
            var standby = await nodes[0].Client.StandbyAsync(new StandbyRequest { Node = active, On = true }, cancellationToken: ct);
            Say($"SWITCHOVER: Standby({active}, on): {standby.Message}");
            var switched = await RecordUntilAsync(timeline, nodes, s => DemoStatus.Settled(s, passive, null), settleLimit, time, cancellationToken: ct);
            PrintTimeline(output, $"Switchover timeline (t=0: Standby({active}) requested)", switched, standbyAt);
            Say(SwitchoverDone(switched, passive, standbyAt, members));
            Say(await ClientOutageAsync(load, standbyAt, passive, settleLimit, ct));

            var online = await nodes[0].Client.StandbyAsync(new StandbyRequest { Node = active, On = false }, cancellationToken: ct);
            Say($"Standby({active}, off): {online.Message}");
            await RecordUntilAsync(timeline, nodes, s => DemoStatus.Settled(s, passive, active), settleLimit, time, e => Monitored(e, active), ct);
            Say($"{active} is back: drbd_mysql Unpromoted there and monitored, everything stays on {passive} (resource-stickiness=100)");

            // 2. Hard failover: the node with the service loses its power; the survivor must fence it before it takes over.
            var victim = nodes.First(n => n.Name == passive);
            var survivor = nodes.First(n => n.Name == active);
            var crashAt = time.GetUtcNow();
            await script.RunAsync(["crash", victim.Name], ScriptLimit, ct);
            Say($"FAULT: testbed crash {victim.Name}: its link down, every process in it killed (clusterd, mysqld), its file system unmounted, "
                + $"its DRBD gone; {victim.Name} held drbd_mysql Promoted and served the client");
            var failedOver = await RecordUntilAsync(
                timeline, nodes, s => DemoStatus.Settled(s, survivor.Name, null) && s.Fencing.Any(f => f.Target == victim.Name && f.Result == "succeeded"), settleLimit, time, cancellationToken: ct);
            PrintTimeline(output, $"Failover timeline (t=0: testbed crash {victim.Name})", failedOver, crashAt);
            PrintFailoverSummary(output, failedOver, crashAt, "crash", victim.Name, survivor.Name, tokenMs, DemoStatus.FenceAgent(placed), members);
            Say(await ClientOutageAsync(load, crashAt, survivor.Name, settleLimit, ct));

            // The fenced node stays off (stonith-action=off) until someone powers it on again, as after a repair.
            var bootAt = time.GetUtcNow();
            await script.RunAsync(["boot", victim.Name], ScriptLimit, ct);
            Say($"testbed boot {victim.Name}: powered on again, its clusterd starts");
            await timeline.AddAsync(victim, settleLimit, time, cancellationToken: ct);
            var rejoined = await RecordUntilAsync(timeline, nodes, s => DemoStatus.Settled(s, survivor.Name, victim.Name), settleLimit, time, e => Monitored(e, victim.Name), ct);
            PrintTimeline(output, $"Rejoin timeline (t=0: testbed boot {victim.Name})", rejoined, bootAt);
            Say($"{victim.Name} is back: drbd_mysql Unpromoted there and monitored, everything stays on {survivor.Name} (resource-stickiness=100)");

            failed = !await VerifyAsync(load, script, [active, passive, active], Say, ct);
            PrintStatus(output, await survivor.StatusAsync(time, ct));
            Say(failed ? "demo FAILED: see above" : "demo done: switchover and hard failover, no acknowledged write lost, never two DRBD Primaries");
            return failed ? ExitCodes.Failure : ExitCodes.Ok;
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            Say("interrupted: taking the testbed down");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or Grpc.Core.RpcException or IOException or DbException or KeyNotFoundException)
        {
            Say($"demo failed: {e.Message}");
            failed = true;
            return ExitCodes.Failure;
        }
        finally
        {
            if (load is not null)
            {
                await load.DisposeAsync();
            }

            if (timeline is not null)
            {
                await timeline.DisposeAsync();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            if (failed)
            {
                KeepLogs(logs);
            }

            // The prerequisites said no testbed was up: whatever is there now was built by this run.
            var down = await script.TryRunAsync(["down"], ScriptLimit, CancellationToken.None);
            Say(down.ExitCode == 0 ? "testbed down" : $"testbed down failed ({down.ExitCode}): {down.Stderr.Trim()}");
            if (failed)
            {
                Say($"the testbed's logs are kept in {logs}");
            }
            else
            {
                TryDeleteDirectory(logs);
            }
        }
    }

    /// <summary>
    /// The client's view of a move: the first write <paramref name="to"/> acknowledged after <paramref name="faultAt"/>,
    /// the last one acknowledged before it, the gap between them, and the writes that failed meanwhile.
    /// </summary>
    private static async Task<string> ClientOutageAsync(WriteLoad load, DateTimeOffset faultAt, string to, TimeSpan limit, CancellationToken cancellationToken)
    {
        var first = await load.WaitForWriteAsync(faultAt, to, limit, cancellationToken);
        var last = load.LastBefore(first.Sent);
        var failures = load.Failures.Count(f => f.Time >= faultAt && f.Time <= first.Acknowledged);
        return last is null
            ? $"client: first write after it acknowledged by {to} at {Since(first.Acknowledged, faultAt)}"
            : $"client: last write before acknowledged by {last.Node} at {Since(last.Acknowledged, faultAt)}, first after by {first.Node} at "
                + $"{Since(first.Acknowledged, faultAt)}: writes stopped for {Between(last.Acknowledged, first.Acknowledged)} ({failures} failed meanwhile)";
    }

    /// <summary>
    /// The end of the run: every acknowledged id read back through haproxy, the DRBD stand-in's record (never two
    /// Primaries, no promotion refused) and the nodes that served the client, in order. True when all hold.
    /// </summary>
    private static async Task<bool> VerifyAsync(WriteLoad load, TestbedScript script, string[] expectedServing, Action<string> say, CancellationToken cancellationToken)
    {
        await load.StopAsync();
        var acknowledged = load.Acknowledged.Count;
        var missing = await load.MissingAsync(cancellationToken);
        var serving = load.ServingNodes();
        say($"client: {acknowledged} writes acknowledged, {load.Failures.Count} failed; served by {string.Join(" -> ", serving)}");
        say(missing.Count == 0
            ? $"writes: all {acknowledged} acknowledged ids are in the table (read back through haproxy), 0 missing"
            : $"writes: {missing.Count} acknowledged ids are MISSING from the table: {string.Join(' ', missing.Take(20))}");
        var check = await script.TryRunAsync(["check"], ScriptLimit, cancellationToken);
        say($"DRBD: {check.Stdout.Trim().Replace("\n", "; ", StringComparison.Ordinal)} (testbed check, from the stand-in's record of every role change)");
        var servedAsMoved = serving.SequenceEqual(expectedServing);
        if (!servedAsMoved)
        {
            say($"writes were served by {string.Join(" -> ", serving)}, expected {string.Join(" -> ", expectedServing)}: a node served after it was replaced");
        }

        return missing.Count == 0 && check.ExitCode == 0 && servedAsMoved;
    }

    /// <summary>A monitor of drbd_mysql on <paramref name="node"/> finished: its promotion score is known to the DC, so a failback would show.</summary>
    private static bool Monitored(List<Entry> entries, string node) =>
        entries.Any(e => e.Event.Kind == EventKind.ActionFinished && e.Event.Succeeded && e.Event.Resource == "drbd_mysql" && e.Event.Node == node
            && e.Event.Action.StartsWith("monitor", StringComparison.Ordinal));

    /// <summary>The client's connection through haproxy: pooling off, and short timeouts so a write to a dead node fails soon.</summary>
    private static string ConnectionString(Dictionary<string, string> env)
    {
        var (host, port) = (env["TESTBED_LB"].Split(':')[0], env["TESTBED_LB"].Split(':')[1]);
        return $"Server={host};Port={port};User ID={env["TESTBED_USER"]};Password={env["TESTBED_PASSWORD"]};Database={env["TESTBED_DB"]};"
            + "Pooling=false;Connection Timeout=1;Default Command Timeout=2";
    }

    /// <summary>The shell assignments of <c>testbed env</c> (NAME=value or NAME="a b").</summary>
    private static Dictionary<string, string> ParseEnv(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim().Trim('"'));

    /// <summary>
    /// Copies what explains a failure out of the testbed's state directory before it is removed: the configuration,
    /// the power and DRBD records, and each node's clusterd and MariaDB logs.
    /// </summary>
    private static void KeepLogs(string logs)
    {
        var state = TestbedPrerequisites.StateDirectory;
        var nodes = Path.Combine(state, "nodes");
        var files = new[] { "cluster.crm", "power.log", Path.Combine("drbd", "events") }.Select(f => Path.Combine(state, f))
            .Concat(Directory.Exists(nodes)
                ? Directory.EnumerateDirectories(nodes).SelectMany(n => new[] { Path.Combine(n, "clusterd.log"), Path.Combine(n, "mysqld", "error.log") })
                : []);
        foreach (var from in files)
        {
            try
            {
                if (File.Exists(from))
                {
                    File.Copy(from, Path.Combine(logs, Path.GetRelativePath(state, from).Replace('/', '_')), overwrite: true);
                }
            }
            catch (IOException)
            {
                // Keep what can be kept.
            }
        }
    }
}
