using System.Diagnostics;
using ClusterD.AzureArmStub;
using ClusterD.Controller.Core;
using ClusterD.Controller.Runtime;
using ClusterD.Fencing.Azure;
using ClusterD.Membership.Configuration;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;
using ClusterD.TestKit.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.FailoverHarness;

/// <summary>
/// A Reboot announced for the node holding the promoted instance, end to end in process: the local instance
/// metadata endpoint (<see cref="ArmStub"/>, real HTTPS on loopback) lists the event, the node's real poller
/// reads it, its controller switches the promoted instance and the group over to the other node (real
/// <see cref="ControllerService"/>s, <see cref="InProcessControllers"/>, agents answering after a yield) and the
/// acknowledgement reaches the endpoint. Stamped from outside: event listed -> first poll answered (the poller
/// starts then, so this is one metadata round trip) -> announced event in the controller -> promoted on the other
/// node -> StartRequests received by the endpoint.
/// </summary>
internal static class ScheduledSwitchover
{
    private const int WarmUpRuns = 3;
    private static readonly string[] Nodes = ["node1", "node2"];
    private static readonly string[] Group = ["fs_mysql", "mysqld", "probe_port"];
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(int runs)
    {
        var config = CrmParser.Parse(SeedShape.Crm(nodes: "node1 node2")).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };
        var dir = Directory.CreateTempSubdirectory("clusterd-bench-imds-");
        try
        {
            await using var stub = await ArmStub.StartAsync(dir.FullName, CancellationToken.None);
            var toAnnounced = new List<double>();
            var toPromoted = new List<double>();
            var toAck = new List<double>();
            var requests = new List<double>();
            for (var run = -WarmUpRuns; run < runs; run++)
            {
                var promotedOn = Nodes[(run + WarmUpRuns) % 2];
                var sample = await OneRunAsync(config, stub, promotedOn, $"ev-{run + WarmUpRuns}");
                if (sample is not { } s)
                {
                    Console.Error.WriteLine($"run {run}: no acknowledgement within {Limit.TotalSeconds:0} s");
                    return 1;
                }

                if (run >= 0)
                {
                    toAnnounced.Add(s.Announced);
                    toPromoted.Add(s.Promoted);
                    toAck.Add(s.Acknowledged);
                    requests.Add(s.Requests);
                }
            }

            Console.WriteLine($"scheduled-switchover: {runs} runs (+{WarmUpRuns} warm-up), poll interval 1 s (the first poll at once), agents answer after a yield; milliseconds from the event being listed");
            Console.WriteLine("| step | n | p50 | p90 | p99 | max |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine(Percentiles.Row("announced event in the controller (one metadata round trip)", toAnnounced, 1));
            Console.WriteLine(Percentiles.Row("promoted on the other node", toPromoted, 1));
            Console.WriteLine(Percentiles.Row("acknowledgement received by the endpoint", toAck, 1));
            Console.WriteLine(Percentiles.Row("metadata requests per run (GET + POST)", requests, 0));
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<(double Announced, double Promoted, double Acknowledged, double Requests)?> OneRunAsync(
        ClusterConfig config, ArmStub stub, string promotedOn, string eventId)
    {
        var other = Nodes.Single(n => n != promotedOn);
        await using var bed = new InProcessControllers(config, Nodes, promotedOn, TimeSpan.Zero);
        long announced = 0;
        bed[promotedOn].Published += e =>
        {
            if (e.Kind == ControllerEventKind.ScheduledEvent && e.Message.Contains("announced", StringComparison.Ordinal))
            {
                Interlocked.CompareExchange(ref announced, Stopwatch.GetTimestamp(), 0);
            }
        };
        bed.Start();
        foreach (var node in Nodes)
        {
            bed[node].Post(InProcessControllers.View(1, Nodes, Nodes, []));
        }

        var clock = Stopwatch.StartNew();
        while (!Placed(bed, promotedOn, other))
        {
            if (clock.Elapsed > Limit)
            {
                return null;
            }

            await Task.Delay(5);
        }

        // Settled: let the DC finish its monitors before the event comes.
        await Task.Delay(200);
        var callsBefore = stub.Calls.Count;
        var client = new ScheduledEventsClient(stub.BaseAddress, stub.CaBundle, TimeProvider.System, NullLogger.Instance);
        await using var poller = new ScheduledEventsPoller(client, ScheduledEventsMode.On, TimeSpan.FromSeconds(1), bed[promotedOn].Post, TimeProvider.System, NullLogger.Instance);
        bed[promotedOn].Acknowledger = poller;
        stub.SetScheduledEvents(new StubScheduledEvent(eventId, "Reboot", [promotedOn], NotBefore: DateTimeOffset.UtcNow.AddMinutes(15)));
        var listed = Stopwatch.GetTimestamp();
        poller.Start();
        long promoted = 0;
        clock.Restart();
        while (!stub.StartRequests.Contains(eventId))
        {
            if (promoted == 0 && bed.RoleOf(other, "drbd_mysql") == InstanceRole.Promoted)
            {
                promoted = Stopwatch.GetTimestamp();
            }

            if (clock.Elapsed > Limit)
            {
                return null;
            }

            await Task.Delay(1);
        }

        var acknowledged = Stopwatch.GetTimestamp();
        var requests = stub.Calls.Skip(callsBefore).Count(c => c.Operation.StartsWith("scheduledEvents", StringComparison.Ordinal));
        stub.SetScheduledEvents();
        return (Ms(listed, Interlocked.Read(ref announced)), Ms(listed, promoted == 0 ? acknowledged : promoted), Ms(listed, acknowledged), requests);
    }

    private static bool Placed(InProcessControllers bed, string promotedOn, string other) =>
        bed.RoleOf(promotedOn, "drbd_mysql") == InstanceRole.Promoted
        && Group.All(r => bed.RoleOf(promotedOn, r) == InstanceRole.Started)
        && bed.RoleOf(other, "drbd_mysql") == InstanceRole.Unpromoted;

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
