using ClusterD.Admin.V1;
using ClusterD.TestKit.Processes;
using ClusterD.TestKit.Resources;

namespace ClusterD.FailoverHarness;

/// <summary>
/// kill -9 of the active node (promoted instance and group) of two real daemons running the seed's shape
/// with Dummy/Stateful agents and an instant test fence, timed on the survivor's <c>WatchEvents</c> (each
/// event's own time, the daemon's clock, against the harness's clock at the kill: one machine, one clock):
/// kill -> view change -> fence done -> promote done -> group started -> FAILOVER_COMPLETED.
/// </summary>
internal static class ControllerFailover
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(int runs, int defaultDelayRuns, int tokenMs, string? binary)
    {
        Console.WriteLine($"controller-failover: token {tokenMs} ms, {(binary is null ? "JIT build" : binary)}");
        foreach (var (delay, count) in new[] { ("0", runs), ((string?)null, defaultDelayRuns) })
        {
            if (count == 0)
            {
                continue;
            }

            var label = delay is null ? "priority-fencing-delay not set (15 s default)" : "priority-fencing-delay=0";
            var phases = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            for (var run = 0; run < count; run++)
            {
                var result = await OneRunAsync(delay, tokenMs, binary);
                if (result is null)
                {
                    Console.Error.WriteLine($"{label} run {run + 1}: no failover within {Limit.TotalSeconds:0} s");
                    return 1;
                }

                Console.WriteLine($"{label} run {run + 1,2}: " + string.Join(", ", result.Select(p => $"{p.Key} {p.Value:F0}")) + " ms");
                foreach (var (phase, ms) in result)
                {
                    (phases.TryGetValue(phase, out var list) ? list : phases[phase] = []).Add(ms);
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{label}, token {tokenMs} ms, {count} runs (ms after the kill):");
            Console.WriteLine("| kill -> | n | p50 | p90 | max |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var (phase, list) in phases)
            {
                Console.WriteLine(Percentiles.Row(phase, list, 0, withP99: false));
            }

            Console.WriteLine();
        }

        return 0;
    }

    /// <summary>One kill of the active node; <paramref name="prepare"/> may change the bed before the nodes start (a witness).</summary>
    internal static async Task<Dictionary<string, double>?> OneRunAsync(string? fencingDelay, int tokenMs, string? binary, Action<ResourceBed>? prepare = null)
    {
        using var cancel = new CancellationTokenSource(Limit);
        var ct = cancel.Token;
        await using var bed = new ResourceBed(ResourceBed.SeedShapeCrm(fencingDelay), tokenMs, binary);
        prepare?.Invoke(bed);
        bed.StartAll();
        if (await Placed.WaitAsync(bed, TimeSpan.FromSeconds(60)) is not { } active)
        {
            return null;
        }

        var survivor = 1 - active;
        var victim = bed.Cluster.Names[active];

        // Past the placing transition and its first monitors: the cluster is idle when the node dies.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        using var watch = bed[survivor].Client.WatchEvents(new WatchEventsRequest(), cancellationToken: ct);
        await watch.ResponseHeadersAsync; // sent once the watcher is subscribed: it sees every event from here

        var killedAt = DateTimeOffset.UtcNow;
        bed[active].Signal(Signals.SigKill);
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        void Mark(string phase, ClusterEvent e) => phases.TryAdd(phase, (e.Time.ToDateTimeOffset() - killedAt).TotalMilliseconds);
        try
        {
            while (await watch.ResponseStream.MoveNext(ct))
            {
                var e = watch.ResponseStream.Current;
                switch (e.Kind)
                {
                    case EventKind.Membership when e.Lost.Contains(victim):
                        Mark("view change", e);
                        break;
                    case EventKind.Fencing when e.Action == "witness-acquired":
                        Mark("witness acquired", e);
                        break;
                    case EventKind.Fencing when !e.HasSucceeded && e.Message.StartsWith("fencing ", StringComparison.Ordinal):
                        Mark("fence requested", e);
                        break;
                    case EventKind.Fencing when e.HasSucceeded && e.Succeeded:
                        Mark("fence done", e);
                        break;
                    case EventKind.ActionFinished when e.Succeeded && e.Action.StartsWith("promote:drbd_mysql", StringComparison.Ordinal):
                        Mark("promote done", e);
                        break;
                    case EventKind.ActionFinished when e.Succeeded && e.Action.StartsWith("start:probe_port", StringComparison.Ordinal):
                        Mark("group started", e);
                        break;
                    case EventKind.FailoverCompleted:
                        Mark("FAILOVER_COMPLETED", e);
                        if (phases.TryGetValue("view change", out var view))
                        {
                            phases["(view change -> FAILOVER_COMPLETED)"] = phases["FAILOVER_COMPLETED"] - view;
                        }

                        Console.WriteLine($"  {victim} killed; the survivor's own phases: " + string.Join(", ", e.Phases.Select(p => $"{p.Name} {p.DurationMs}")) + " ms");
                        return phases;
                }
            }
        }
        catch (Grpc.Core.RpcException) when (ct.IsCancellationRequested)
        {
        }

        return null;
    }
}
