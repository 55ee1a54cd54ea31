using System.Diagnostics;
using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;
using ClusterD.TestKit.Resources;

namespace ClusterD.FailoverHarness;

/// <summary>
/// The cluster's own share of a failover, in process (<see cref="InProcessControllers"/>): two real controller
/// services on the system clock form the cluster with the seed's resource shape and place it; then the node
/// holding the promoted instance dies and the survivor is given the view without it. Each gap is stamped on
/// the shell side, in the survivor's event callback and in its agent and fencer ports (the core's own event
/// time is its "now", which does not see the loop's queueing):
/// view posted -> fence requested, fence done -> first action dispatched, action result -> next action dispatched.
/// </summary>
internal static class ControllerShare
{
    private static readonly string Crm = SeedShape.Crm();

    private const int WarmUpRuns = 5;
    private static readonly string[] Nodes = ["node1", "node2"];
    private static readonly string[] Group = ["fs_mysql", "mysqld", "probe_port"];
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(int runs, int agentDelayMs)
    {
        var config = CrmParser.Parse(Crm).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };
        Console.WriteLine($"controller-share: {runs} runs per case (+{WarmUpRuns} warm-up runs not counted), agents answer after " +
            (agentDelayMs > 0 ? $"{agentDelayMs} ms" : "a yield") + ", fence succeeds after a yield; milliseconds");

        // node1 is the DC (first in the view). Losing it also moves the DC; losing node2 leaves the DC in place.
        foreach (var promotedOn in Nodes)
        {
            var samples = new Phases();
            for (var run = -WarmUpRuns; run < runs; run++)
            {
                if (!await OneRunAsync(config, promotedOn, TimeSpan.FromMilliseconds(agentDelayMs), run < 0 ? new Phases() : samples))
                {
                    Console.Error.WriteLine($"run {run}: no failover within {Limit.TotalSeconds:0} s");
                    return 1;
                }
            }

            Console.WriteLine();
            Console.WriteLine(promotedOn == Nodes[0]
                ? "promoted instance on the DC (node1) lost: node2 becomes DC, collects its own history, plans"
                : "promoted instance on node2 lost: node1 stays DC");
            Console.WriteLine("| gap (survivor's shell) | n | p50 | p90 | p99 | max |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine(Percentiles.Row("view posted -> FenceRequested event", samples.ViewToFenceRequested, 3));
            Console.WriteLine(Percentiles.Row("view posted -> fencer called", samples.ViewToFencer, 3));
            Console.WriteLine(Percentiles.Row("FenceFinished event -> first ActionRequested event", samples.FenceDoneToActionEvent, 3));
            Console.WriteLine(Percentiles.Row("fencer returned -> first agent call started", samples.FenceDoneToAgent, 3));
            Console.WriteLine(Percentiles.Row("ActionFinished event -> next ActionRequested event", samples.ActionDoneToNextEvent, 3));
            Console.WriteLine(Percentiles.Row("agent returned -> next agent call started", samples.AgentDoneToNextAgent, 3));
            Console.WriteLine(Percentiles.Row("view posted -> FailoverCompleted (whole failover)", samples.Total, 3));
        }

        return 0;
    }

    private static async Task<bool> OneRunAsync(ClusterConfig config, string promotedOn, TimeSpan agentDelay, Phases samples)
    {
        var survivor = Nodes.Single(n => n != promotedOn);
        await using var bed = new InProcessControllers(config, Nodes, promotedOn, agentDelay);
        var events = new List<(long At, ControllerEvent Event)>();
        var last = Stopwatch.GetTimestamp();
        bed[promotedOn].Published += _ => Volatile.Write(ref last, Stopwatch.GetTimestamp());
        bed[survivor].Published += e =>
        {
            var at = Stopwatch.GetTimestamp();
            Volatile.Write(ref last, at);
            lock (events)
            {
                events.Add((at, e));
            }
        };
        bed.Start();
        foreach (var node in Nodes)
        {
            bed[node].Post(InProcessControllers.View(1, Nodes, Nodes, []));
        }

        // Placed, and quiet for 100 ms: the DC has nothing left to do (monitors scheduled, transition over).
        var clock = Stopwatch.StartNew();
        while (!(Placed(bed, promotedOn, survivor) && Stopwatch.GetElapsedTime(Volatile.Read(ref last)) > TimeSpan.FromMilliseconds(100)))
        {
            if (clock.Elapsed > Limit)
            {
                return false;
            }

            await Task.Delay(5);
        }

        await bed.KillAsync(promotedOn);
        int from;
        int callsFrom;
        lock (events)
        {
            from = events.Count;
        }

        lock (bed.Calls)
        {
            callsFrom = bed.Calls.Count;
        }

        var posted = Stopwatch.GetTimestamp();
        bed[survivor].Post(InProcessControllers.View(2, [survivor], [], [promotedOn]));
        clock.Restart();
        while (true)
        {
            lock (events)
            {
                if (events.Skip(from).Any(e => e.Event.Kind == ControllerEventKind.FailoverCompleted))
                {
                    break;
                }
            }

            if (clock.Elapsed > Limit)
            {
                return false;
            }

            await Task.Delay(2);
        }

        List<(long At, ControllerEvent Event)> after;
        List<(string Node, string What, long Started, long Returned)> calls;
        lock (events)
        {
            after = events.Skip(from).ToList();
        }

        lock (bed.Calls)
        {
            calls = bed.Calls.Skip(callsFrom).ToList();
        }

        samples.Add(posted, after, calls);
        return true;
    }

    private static bool Placed(InProcessControllers bed, string promotedOn, string survivor) =>
        bed.RoleOf(promotedOn, "drbd_mysql") == InstanceRole.Promoted
        && Group.All(r => bed.RoleOf(promotedOn, r) == InstanceRole.Started)
        && bed.RoleOf(survivor, "drbd_mysql") == InstanceRole.Unpromoted;

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private sealed class Phases
    {
        public List<double> ViewToFenceRequested { get; } = [];

        public List<double> ViewToFencer { get; } = [];

        public List<double> FenceDoneToActionEvent { get; } = [];

        public List<double> FenceDoneToAgent { get; } = [];

        public List<double> ActionDoneToNextEvent { get; } = [];

        public List<double> AgentDoneToNextAgent { get; } = [];

        public List<double> Total { get; } = [];

        public void Add(long posted, List<(long At, ControllerEvent Event)> events, List<(string Node, string What, long Started, long Returned)> calls)
        {
            var fenceRequested = events.First(e => e.Event.Kind == ControllerEventKind.FenceRequested);
            ViewToFenceRequested.Add(Ms(posted, fenceRequested.At));
            var fence = calls.First(c => c.What.StartsWith("fence ", StringComparison.Ordinal));
            ViewToFencer.Add(Ms(posted, fence.Started));
            Total.Add(Ms(posted, events.First(e => e.Event.Kind == ControllerEventKind.FailoverCompleted).At));

            // Events in publication order: a result followed by the action it released (no other result in between).
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Event.Kind is not (ControllerEventKind.ActionFinished or ControllerEventKind.FenceFinished))
                {
                    continue;
                }

                for (var j = i + 1; j < events.Count; j++)
                {
                    var kind = events[j].Event.Kind;
                    if (kind is ControllerEventKind.ActionFinished or ControllerEventKind.FenceFinished)
                    {
                        break;
                    }

                    if (kind == ControllerEventKind.ActionRequested)
                    {
                        (events[i].Event.Kind == ControllerEventKind.FenceFinished ? FenceDoneToActionEvent : ActionDoneToNextEvent).Add(Ms(events[i].At, events[j].At));
                        break;
                    }
                }
            }

            // Ports in time order: a call that returned, and the next call the shell started before any other returned.
            var returned = calls.Where(c => c.Returned != 0).OrderBy(c => c.Returned).ToList();
            for (var i = 0; i < returned.Count; i++)
            {
                var done = returned[i];
                var until = i + 1 < returned.Count ? returned[i + 1].Returned : long.MaxValue;
                var next = calls.Where(c => c.Started >= done.Returned && c.Started < until).OrderBy(c => c.Started).FirstOrDefault();
                if (next.What is not null)
                {
                    (done.What.StartsWith("fence ", StringComparison.Ordinal) ? FenceDoneToAgent : AgentDoneToNextAgent).Add(Ms(done.Returned, next.Started));
                }
            }
        }
    }
}
