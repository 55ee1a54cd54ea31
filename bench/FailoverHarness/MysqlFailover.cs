using System.Globalization;
using System.Text.Json;
using ClusterD.Admin.V1;
using ClusterD.Daemon.Demo;
using ClusterD.TestKit.Testbed;

namespace ClusterD.FailoverHarness;

/// <summary>
/// The seed's stack on the end-to-end testbed (root): crash of the active node and standby switchover,
/// each repeated, timed from the fault to every phase on the node that takes over (its <c>WatchEvents</c>,
/// each event's own time; one machine, one clock) and by a client writing through haproxy every 10-20 ms.
/// Prints a table per scenario and writes every run and the summary as JSON.
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

    public static async Task<int> RunAsync(int runs, int tokenMs, string? binary, string? jsonPath)
    {
        if (Testbed.Unavailable() is { } why)
        {
            Console.Error.WriteLine($"mysql: {why}");
            return 1;
        }

        var checkMs = Environment.GetEnvironmentVariable("TESTBED_CHECK_MS") ?? "200";
        Console.WriteLine($"mysql: token {tokenMs} ms, haproxy check every {checkMs} ms, priority-fencing-delay 0, {(binary is null ? "JIT build" : binary)}, {runs} runs each");
        var results = new Dictionary<string, List<Dictionary<string, double>>> { ["crash"] = [], ["standby"] = [] };
        await using (var bed = await Testbed.UpAsync(tokenMs, "0", binary, cancellationToken: CancellationToken.None))
        {
            for (var run = 0; run < runs; run++)
            {
                foreach (var scenario in new[] { "crash", "standby" })
                {
                    var active = await bed.WaitForPlacementAsync(Limit);
                    var phases = scenario == "crash" ? await CrashAsync(bed, active) : await StandbyAsync(bed, active);
                    Console.WriteLine($"{scenario} run {run + 1,2} ({active}): " + string.Join(", ", phases.Select(p => $"{p.Key} {p.Value:F0}")) + " ms");
                    results[scenario].Add(phases);
                }
            }
        }

        var summary = new Dictionary<string, object>();
        foreach (var (scenario, order) in new[] { ("crash", CrashPhases), ("standby", StandbyPhases) })
        {
            Console.WriteLine();
            Console.WriteLine($"{scenario}, token {tokenMs} ms, haproxy check {checkMs} ms, {runs} runs (ms after the {(scenario == "crash" ? "crash" : "standby request")}; the last rows are durations):");
            Console.WriteLine("| phase | n | p50 | p90 | max |");
            Console.WriteLine("|---|---|---|---|---|");
            var rows = new Dictionary<string, object>();
            foreach (var phase in order)
            {
                var values = results[scenario].Where(r => r.ContainsKey(phase)).Select(r => r[phase]).ToList();
                Console.WriteLine(Percentiles.Row(phase, values, 0, withP99: false));
                if (values.Count > 0)
                {
                    rows[phase] = new { p50 = Percentiles.Of(values, 50), p90 = Percentiles.Of(values, 90), max = values.Max() };
                }
            }

            summary[scenario] = rows;
        }

        if (jsonPath is not null)
        {
            var document = new
            {
                settings = new { tokenMs, haproxyCheckMs = int.Parse(checkMs, CultureInfo.InvariantCulture), priorityFencingDelay = 0, binary = binary ?? "JIT build", runs },
                load = File.ReadAllText("/proc/loadavg").Trim(),
                summary,
                runs = results,
            };
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(document, Indented));
            Console.WriteLine($"\nwritten: {jsonPath}");
        }

        return 0;
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
        var phases = await TimeAsync(bed, other, dc, fault: async () =>
        {
            await bed.Admin(active).StandbyAsync(new StandbyRequest { Node = active, On = true });
        }, (e, mark) => MarkAgentStep(e, mark, StandbySteps));
        await bed.Admin(active).StandbyAsync(new StandbyRequest { Node = active, On = false });
        return phases;
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
