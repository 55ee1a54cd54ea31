using System.Globalization;
using System.Text.Json;
using ClusterD.Admin.V1;
using ClusterD.Daemon.Demo;
using ClusterD.TestKit.Testbed;

namespace ClusterD.FailoverHarness;

/// <summary>
/// The seed's stack on the end-to-end testbed (root): crash of the active node and standby switchover,
/// each repeated, timed from the fault to every phase on the node that takes over and by a client writing
/// through haproxy every 10-20 ms. clusterd's phases are its <c>WatchEvents</c> (each event's own time);
/// Pacemaker's (the same testbed with Corosync + Pacemaker and the same crm configuration) are the times
/// its daemons logged (hires timestamps; one machine, one clock). Prints a table per stack and scenario,
/// with both stacks clusterd's p50 as ratios to Pacemaker's, and writes every run and the summaries as JSON.
/// </summary>
internal static class MysqlFailover
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A phase's time after the fault, and what took it (the summary's rows, in order).</summary>
    private static readonly string[] CrashPhases =
        ["detection", "fencing done", "DRBD promoted", "mounted", "mysqld ready", "first write", "write outage", "fencing", "agents", "load balancer", "cluster's own share"];

    private static readonly string[] StandbyPhases =
        ["mysqld stopped", "unmounted", "DRBD demoted", "DRBD promoted", "mounted", "mysqld ready", "first write", "write outage", "agents", "load balancer", "cluster's own share"];

    /// <summary>The taking-over node's actions and the phase each ends.</summary>
    private static readonly (string Action, string? Phase)[] TakeoverSteps =
        [("promote:drbd_mysql", "DRBD promoted"), ("start:fs_mysql", "mounted"), ("start:mysqld", "mysqld ready")];

    /// <summary>The old node's actions in a switchover and the phase each ends (null: agent work only).</summary>
    private static readonly (string Action, string? Phase)[] StandbySteps =
        [("stop:mysqld", "mysqld stopped"), ("stop:fs_mysql", "unmounted"), ("demote:drbd_mysql", "DRBD demoted"), ("stop:drbd_mysql", null)];

    /// <summary>The rows compared between the stacks (times after the fault, and the client's outage).</summary>
    private static readonly string[] Compared = ["detection", "fencing done", "DRBD promoted", "mysqld ready", "first write", "write outage", "cluster's own share"];

    /// <param name="stacks">clusterd, pacemaker or both (one after the other on the same machine).</param>
    /// <param name="idleSeconds">How long each stack's cluster processes are watched idle, the service placed (0: not at all).</param>
    /// <param name="defaultDelayRuns">Crash runs of clusterd with its default priority-fencing-delay (15 s) besides the runs at 0.</param>
    public static async Task<int> RunAsync(
        int runs, int tokenMs, string? binary, string? jsonPath, string stacks = "clusterd", int idleSeconds = 30, int defaultDelayRuns = 0)
    {
        string[] chosen = stacks switch
        {
            "both" => [Testbed.ClusterdStack, Testbed.PacemakerStack],
            Testbed.ClusterdStack or Testbed.PacemakerStack => [stacks],
            _ => [],
        };
        if (chosen.Length == 0)
        {
            Console.Error.WriteLine($"mysql: --stack is clusterd, pacemaker or both, not '{stacks}'");
            return 64;
        }

        foreach (var stack in chosen)
        {
            if (Testbed.Unavailable(stack) is { } why)
            {
                Console.Error.WriteLine($"mysql: {why}");
                return 1;
            }
        }

        var checkMs = Environment.GetEnvironmentVariable("TESTBED_CHECK_MS") ?? "200";
        Console.WriteLine($"mysql: token {tokenMs} ms (Pacemaker: consensus {tokenMs * 12 / 10} ms, Corosync's default), haproxy check every {checkMs} ms, "
            + $"priority-fencing-delay 0, clusterd {(binary is null ? "JIT build" : binary)}, {runs} runs each");
        var results = new Dictionary<string, Dictionary<string, List<Dictionary<string, double>>>>();
        var summaries = new Dictionary<string, Dictionary<string, Dictionary<string, double[]>>>();
        var idle = new Dictionary<string, Dictionary<string, double>>();
        foreach (var stack in chosen)
        {
            (results[stack], idle[stack]) = await RunStackAsync(stack, runs, tokenMs, binary, idleSeconds);
            summaries[stack] = Summarize(stack, results[stack], tokenMs, checkMs, runs);
        }

        List<Dictionary<string, double>>? delayed = null;
        if (defaultDelayRuns > 0 && chosen.Contains(Testbed.ClusterdStack))
        {
            delayed = await DefaultDelayCrashesAsync(defaultDelayRuns, tokenMs, binary);
        }

        Dictionary<string, object>? ratios = null;
        if (chosen.Length == 2)
        {
            ratios = Compare(summaries[Testbed.ClusterdStack], summaries[Testbed.PacemakerStack]);
        }

        if (jsonPath is not null)
        {
            var document = new
            {
                settings = new { tokenMs, haproxyCheckMs = int.Parse(checkMs, CultureInfo.InvariantCulture), priorityFencingDelay = 0, binary = binary ?? "JIT build", runs, stacks = chosen },
                load = File.ReadAllText("/proc/loadavg").Trim(),
                summary = summaries.ToDictionary(s => s.Key, s => s.Value.ToDictionary(
                    scenario => scenario.Key, scenario => scenario.Value.ToDictionary(p => p.Key, p => new { p50 = p.Value[0], p90 = p.Value[1], max = p.Value[2] }))),
                ratios,
                idle,
                defaultDelayCrash = delayed,
                runs = results,
            };
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(document, Indented));
            Console.WriteLine($"\nwritten: {jsonPath}");
        }

        return 0;
    }

    private static async Task<(Dictionary<string, List<Dictionary<string, double>>> Results, Dictionary<string, double> Idle)> RunStackAsync(
        string stack, int runs, int tokenMs, string? binary, int idleSeconds)
    {
        var results = new Dictionary<string, List<Dictionary<string, double>>> { ["crash"] = [], ["standby"] = [] };
        await using var bed = await Testbed.UpAsync(tokenMs, "0", binary, stack: stack, cancellationToken: CancellationToken.None);
        var idle = idleSeconds > 0 ? await IdleAsync(bed, idleSeconds) : [];
        for (var run = 0; run < runs; run++)
        {
            foreach (var scenario in new[] { "crash", "standby" })
            {
                var active = await bed.WaitForPlacementAsync(Limit);
                var phases = (scenario, bed.IsPacemaker) switch
                {
                    ("crash", false) => await CrashAsync(bed, active),
                    ("crash", true) => await PacemakerCrashAsync(bed, active),
                    (_, false) => await StandbyAsync(bed, active),
                    (_, true) => await PacemakerStandbyAsync(bed, active),
                };
                Console.WriteLine($"{stack} {scenario} run {run + 1,2} ({active}): " + string.Join(", ", phases.Select(p => $"{p.Key} {p.Value:F0}")) + " ms");
                results[scenario].Add(phases);
            }
        }

        return (results, idle);
    }

    /// <summary>
    /// The cluster stack's own processes on each node (clusterd; or corosync, pacemakerd and its daemons), the
    /// service placed and idle: resident memory summed per node and CPU time over <paramref name="seconds"/>.
    /// MariaDB and the agents' processes are not counted.
    /// </summary>
    private static async Task<Dictionary<string, double>> IdleAsync(Testbed bed, int seconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(10)); // past the start-up's first monitors
        var pids = Testbed.Nodes.ToDictionary(n => n, n => StackProcesses(bed, n));
        var before = pids.ToDictionary(p => p.Key, p => p.Value.Sum(Ticks));
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var figures = new Dictionary<string, double>();
        foreach (var (node, list) in pids)
        {
            var cpu = (list.Sum(Ticks) - before[node]) / IdleFootprint.ClockTicksPerSecond / seconds * 100;
            var rss = list.Sum(pid => Kilobytes(pid)) / 1024.0;
            figures[$"{node} RSS MB"] = Math.Round(rss, 1);
            figures[$"{node} CPU %"] = Math.Round(cpu, 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{bed.Stack} idle, {node}: {list.Count} processes, RSS {rss:F1} MB, CPU {cpu:F2}% of one core over {seconds} s"));
        }

        return figures;

        static long Ticks(int pid) => File.Exists($"/proc/{pid}/stat") ? IdleFootprint.CpuTicks(pid) : 0;
        static long Kilobytes(int pid) => File.Exists($"/proc/{pid}/status") ? ClusterD.TestKit.Processes.ProcStatus.Kilobytes(pid, "VmRSS") : 0;
    }

    /// <summary>The pids of the cluster stack in <paramref name="node"/>'s network namespace (that of the daemon the testbed started there).</summary>
    private static List<int> StackProcesses(Testbed bed, string node)
    {
        var daemon = File.ReadAllText(bed.NodeFile(node, bed.IsPacemaker ? "corosync.pid" : "clusterd.pid")).Trim();
        var network = new FileInfo($"/proc/{daemon}/ns/net").LinkTarget;
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (network is null || new FileInfo($"{directory}/ns/net").LinkTarget != network)
                {
                    continue;
                }

                var comm = File.ReadAllText($"{directory}/comm").Trim();
                var command = File.ReadAllText($"{directory}/cmdline").Replace('\0', ' ');
                if (bed.IsPacemaker ? comm == "corosync" || comm.StartsWith("pacemaker", StringComparison.Ordinal) : command.Contains("clusterd", StringComparison.Ordinal) && !command.Contains("mariadbd", StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return pids;
    }

    /// <summary>Crashes of the active clusterd node with the production default priority-fencing-delay (15 s).</summary>
    private static async Task<List<Dictionary<string, double>>> DefaultDelayCrashesAsync(int runs, int tokenMs, string? binary)
    {
        var phases = new List<Dictionary<string, double>>();
        await using var bed = await Testbed.UpAsync(tokenMs, "15s", binary, cancellationToken: CancellationToken.None);
        for (var run = 0; run < runs; run++)
        {
            var active = await bed.WaitForPlacementAsync(Limit);
            phases.Add(await CrashAsync(bed, active));
            Console.WriteLine($"clusterd crash with priority-fencing-delay 15 s, run {run + 1} ({active}): " + string.Join(", ", phases[^1].Select(p => $"{p.Key} {p.Value:F0}")) + " ms");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"clusterd crash with the default priority-fencing-delay (15 s): first write p50 {Percentiles.Of(phases.Select(p => p["first write"]).ToList(), 50):F0} ms over {runs} runs"));
        return phases;
    }

    /// <summary>Prints a table per scenario; returns p50, p90 and max per phase.</summary>
    private static Dictionary<string, Dictionary<string, double[]>> Summarize(
        string stack, Dictionary<string, List<Dictionary<string, double>>> results, int tokenMs, string checkMs, int runs)
    {
        var summary = new Dictionary<string, Dictionary<string, double[]>>();
        foreach (var (scenario, order) in new[] { ("crash", CrashPhases), ("standby", StandbyPhases) })
        {
            Console.WriteLine();
            Console.WriteLine($"{stack}, {scenario}, token {tokenMs} ms, haproxy check {checkMs} ms, {runs} runs (ms after the {(scenario == "crash" ? "crash" : "standby request")}; the last rows are durations):");
            Console.WriteLine("| phase | n | p50 | p90 | max |");
            Console.WriteLine("|---|---|---|---|---|");
            var rows = new Dictionary<string, double[]>();
            foreach (var phase in order)
            {
                var values = results[scenario].Where(r => r.ContainsKey(phase)).Select(r => r[phase]).ToList();
                Console.WriteLine(Percentiles.Row(phase, values, 0, withP99: false));
                if (values.Count > 0)
                {
                    rows[phase] = [Percentiles.Of(values, 50), Percentiles.Of(values, 90), values.Max()];
                }
            }

            summary[scenario] = rows;
        }

        return summary;
    }

    /// <summary>Prints and returns clusterd's p50 per phase as a ratio to Pacemaker's, from the same run.</summary>
    private static Dictionary<string, object> Compare(
        Dictionary<string, Dictionary<string, double[]>> clusterd, Dictionary<string, Dictionary<string, double[]>> pacemaker)
    {
        var ratios = new Dictionary<string, object>();
        foreach (var scenario in new[] { "crash", "standby" })
        {
            Console.WriteLine();
            Console.WriteLine($"{scenario}: clusterd against Pacemaker (p50, ms; ratio = clusterd / Pacemaker):");
            Console.WriteLine("| phase | clusterd | Pacemaker | ratio |");
            Console.WriteLine("|---|---|---|---|");
            var rows = new Dictionary<string, double>();
            foreach (var phase in Compared.Where(p => clusterd[scenario].ContainsKey(p) && pacemaker[scenario].ContainsKey(p)))
            {
                var (ours, theirs) = (clusterd[scenario][phase][0], pacemaker[scenario][phase][0]);
                // A share of about zero (the rounding of event times can make it slightly negative) has no ratio.
                var ratio = theirs > 0 && ours > 0 ? ours / theirs : double.NaN;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {phase} | {ours:F0} | {theirs:F0} | {(double.IsNaN(ratio) ? "-" : ratio.ToString("F2", CultureInfo.InvariantCulture))} |"));
                if (!double.IsNaN(ratio))
                {
                    rows[phase] = Math.Round(ratio, 3);
                }
            }

            ratios[scenario] = rows;
        }

        return ratios;
    }

    private static async Task<Dictionary<string, double>> CrashAsync(Testbed bed, string active)
    {
        var survivor = Testbed.PeerOf(active);
        // The survivor is the DC once it has lost the victim: it reports every action of the takeover.
        var phases = await TimeAsync(bed, survivor, survivor, fault: () => bed.CrashAsync(active), (e, mark) =>
        {
            switch (e.Kind)
            {
                case EventKind.Membership when e.Lost.Contains(active):
                    mark("detection", e);
                    break;
                case EventKind.Fencing when e.HasSucceeded && e.Succeeded:
                    mark("fencing done", e);
                    mark("fencing", e.DurationMs);
                    break;
            }
        });
        await bed.BootAndSettleAsync(active, survivor, Limit);
        return phases;
    }

    private static async Task<Dictionary<string, double>> StandbyAsync(Testbed bed, string active)
    {
        var other = Testbed.PeerOf(active);
        var dc = (await bed.StatusAsync(other)).Dc;
        var phases = await TimeAsync(bed, other, dc, fault: () => bed.StandbyAsync(active, on: true), (e, mark) => MarkAgentStep(e, mark, StandbySteps));
        await bed.StandbyAsync(active, on: false);
        return phases;
    }

    /// <summary>Pacemaker: the crash as its daemons logged it (the survivor's Corosync and Pacemaker logs).</summary>
    private static async Task<Dictionary<string, double>> PacemakerCrashAsync(Testbed bed, string active)
    {
        var survivor = Testbed.PeerOf(active);
        var phases = await TimeFromLogsAsync(bed, survivor, () => bed.CrashAsync(active), (log, faultAt, mark) =>
        {
            mark("detection", log.First(faultAt, @"corosync.*A new membership .* was formed\. Members left"));
            var requested = log.First(faultAt, $"Requesting fencing \\(off\\) of node {active}");
            var fenced = log.First(faultAt, $"Operation 'off' targeting {active} by .*: OK");
            mark("fencing done", fenced);
            if (requested is { } r && fenced is { } f)
            {
                mark("fencing", (f - r).TotalMilliseconds);
            }

            MarkLoggedSteps(log, faultAt, survivor, PacemakerTakeoverSteps, mark);
        });
        await bed.BootAsync(active);
        await bed.WaitForPlacementAsync(Limit);
        return phases;
    }

    /// <summary>Pacemaker: a <c>crm_standby</c> switchover as its daemons logged it.</summary>
    private static async Task<Dictionary<string, double>> PacemakerStandbyAsync(Testbed bed, string active)
    {
        var other = Testbed.PeerOf(active);
        var phases = await TimeFromLogsAsync(bed, other, () => bed.StandbyAsync(active, on: true), (log, faultAt, mark) =>
        {
            MarkLoggedSteps(log, faultAt, active, PacemakerStandbySteps, mark);
            MarkLoggedSteps(log, faultAt, other, PacemakerTakeoverSteps, mark);
        });
        await bed.StandbyAsync(active, on: false);
        return phases;
    }

    /// <summary>Pacemaker's operations on the taking-over node and the phase each ends.</summary>
    private static readonly (string Operation, string Resource, string Phase)[] PacemakerTakeoverSteps =
        [("promote", Testbed.Drbd, "DRBD promoted"), ("start", Testbed.Filesystem, "mounted"), ("start", Testbed.Mysqld, "mysqld ready")];

    /// <summary>Pacemaker's operations on the old node in a switchover and the phase each ends.</summary>
    private static readonly (string Operation, string Resource, string Phase)[] PacemakerStandbySteps =
        [("stop", Testbed.Mysqld, "mysqld stopped"), ("stop", Testbed.Filesystem, "unmounted"), ("demote", Testbed.Drbd, "DRBD demoted")];

    private static void MarkLoggedSteps(PacemakerLog log, DateTimeOffset faultAt, string node, (string Operation, string Resource, string Phase)[] steps, Action<string, object?> mark)
    {
        foreach (var (operation, resource, phase) in steps)
        {
            mark(phase, log.Succeeded(faultAt, operation, resource, node));
            mark("agents", log.Duration(faultAt, operation, resource, node));
        }
    }

    /// <summary>
    /// Applies <paramref name="fault"/> under a writing client; once <paramref name="taker"/> served a write and its
    /// mysqld start is logged, reads the phases from Pacemaker's and Corosync's logs.
    /// </summary>
    private static async Task<Dictionary<string, double>> TimeFromLogsAsync(
        Testbed bed, string taker, Func<Task> fault, Action<PacemakerLog, DateTimeOffset, Action<string, object?>> phasesOf)
    {
        using var cancel = new CancellationTokenSource(Limit);
        var ct = cancel.Token;
        await using var load = WriteLoad.Start(Testbed.ConnectionString(), firstId: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
        await load.WaitForWriteAsync(DateTimeOffset.UtcNow, null, TimeSpan.FromSeconds(10), ct);
        var faultAt = DateTimeOffset.UtcNow;
        await fault();
        await load.WaitForWriteAsync(faultAt, taker, Limit, ct);
        PacemakerLog log;
        while ((log = bed.PacemakerLogs()).Succeeded(faultAt, "start", Testbed.Mysqld, taker) is null)
        {
            await Task.Delay(100, ct); // the agent's start returns after the server answers
        }

        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        phasesOf(log, faultAt, (phase, value) =>
        {
            switch (value)
            {
                case DateTimeOffset time:
                    phases.TryAdd(phase, (time - faultAt).TotalMilliseconds);
                    break;
                case double duration:
                    phases[phase] = phases.GetValueOrDefault(phase) + duration;
                    break;
            }
        });
        return await FinishAsync(bed, load, faultAt, taker, phases, ct);
    }

    /// <summary>A finished action among <paramref name="steps"/>: marks its phase and adds its duration to the agents' work.</summary>
    private static void MarkAgentStep(ClusterEvent e, Action<string, object> mark, (string Action, string? Phase)[] steps)
    {
        if (e.Kind != EventKind.ActionFinished || !e.Succeeded)
        {
            return;
        }

        foreach (var (action, phase) in steps)
        {
            if (e.Action.StartsWith(action, StringComparison.Ordinal))
            {
                if (phase is not null)
                {
                    mark(phase, e);
                }

                mark("agents", e.DurationMs);
                return;
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="fault"/> under a writing client and times the takeover on <paramref name="taker"/>
    /// as the DC <paramref name="watched"/> reports it: promote, mount and mysqld start there (with their agent
    /// durations), the first write it serves and the client's outage; <paramref name="more"/> marks the
    /// scenario's own events.
    /// </summary>
    private static async Task<Dictionary<string, double>> TimeAsync(
        Testbed bed, string taker, string watched, Func<Task> fault, Action<ClusterEvent, Action<string, object>> more)
    {
        using var cancel = new CancellationTokenSource(Limit);
        var ct = cancel.Token;
        await using var load = WriteLoad.Start(Testbed.ConnectionString(), firstId: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
        await load.WaitForWriteAsync(DateTimeOffset.UtcNow, null, TimeSpan.FromSeconds(10), ct);
        using var watch = bed.Admin(watched).WatchEvents(new WatchEventsRequest(), cancellationToken: ct);
        await watch.ResponseHeadersAsync; // subscribed: every event from here on reaches this watcher

        var faultAt = DateTimeOffset.UtcNow;
        await fault();
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        void Mark(string phase, object value)
        {
            if (value is ClusterEvent e)
            {
                phases.TryAdd(phase, (e.Time.ToDateTimeOffset() - faultAt).TotalMilliseconds);
            }
            else
            {
                // A duration: summed (the agents' work on the critical path).
                phases[phase] = phases.GetValueOrDefault(phase) + Convert.ToDouble(value, CultureInfo.InvariantCulture);
            }
        }

        while (!phases.ContainsKey("mysqld ready") && await watch.ResponseStream.MoveNext(ct))
        {
            var e = watch.ResponseStream.Current;
            more(e, Mark);
            if (e.Node == taker)
            {
                MarkAgentStep(e, Mark, TakeoverSteps);
            }
        }

        return await FinishAsync(bed, load, faultAt, taker, phases, ct);
    }

    /// <summary>The client's view (first write served by <paramref name="taker"/>, the outage), the derived rows, and no write lost.</summary>
    private static async Task<Dictionary<string, double>> FinishAsync(
        Testbed bed, WriteLoad load, DateTimeOffset faultAt, string taker, Dictionary<string, double> phases, CancellationToken ct)
    {
        var first = await load.WaitForWriteAsync(faultAt, taker, Limit, ct);
        var before = load.LastBefore(faultAt);
        phases["first write"] = (first.Acknowledged - faultAt).TotalMilliseconds;
        phases["write outage"] = (first.Acknowledged - (before?.Acknowledged ?? faultAt)).TotalMilliseconds;
        phases["load balancer"] = phases["first write"] - phases["mysqld ready"];
        // What is left of fault -> mysqld ready once detection, fencing and the agents' work are taken out.
        var detection = phases.GetValueOrDefault("detection");
        phases["cluster's own share"] = phases["mysqld ready"] - detection - phases.GetValueOrDefault("fencing") - phases.GetValueOrDefault("agents");
        await load.StopAsync();
        if ((await load.MissingAsync(ct)).Count is > 0 and var missing)
        {
            throw new InvalidOperationException($"{missing} acknowledged writes are missing\n{bed.Diagnostics()}");
        }

        return phases;
    }
}
