using ClusterD.Admin.V1;
using ClusterD.TestKit.Processes;

namespace ClusterD.FailoverHarness;

/// <summary>
/// kill -9 of one of two nodes, measured on the survivor: the view change's own timestamp minus the
/// arrival of the victim's last heartbeat (from the survivor's last-seen counter), minus token. That
/// is the part of detection ClusterD adds on top of the configured timeout.
/// </summary>
internal static class DetectionLatency
{
    public static async Task<int> RunAsync(int runs, int[] tokens, string? binary)
    {
        foreach (var token in tokens)
        {
            var beyond = new List<double>();
            var killToView = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var (b, k) = await OneRunAsync(token, binary);
                beyond.Add(b);
                killToView.Add(k);
                Console.WriteLine($"token {token} ms run {run + 1,2}: beyond token {b,6:F1} ms, kill -> new view {k,7:F1} ms");
            }

            Console.WriteLine($"token {token} ms, {runs} runs, heartbeat interval {token / 5} ms:");
            Console.WriteLine($"  beyond token     p50 {Percentile(beyond, 50):F1} ms  p99 {Percentile(beyond, 99):F1} ms  max {beyond.Max():F1} ms");
            Console.WriteLine($"  kill -> view     p50 {Percentile(killToView, 50):F1} ms  p99 {Percentile(killToView, 99):F1} ms");
        }

        return 0;
    }

    private static async Task<(double Beyond, double KillToView)> OneRunAsync(int tokenMs, string? binary)
    {
        var ct = CancellationToken.None;
        await using var cluster = LoopbackCluster.Create(2, tokenMs, binary: binary);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], ct);
        using var watch = cluster[0].Client.WatchEvents(new WatchEventsRequest(), cancellationToken: ct);
        await Task.Delay(Math.Max(300, tokenMs), ct);

        var killedAt = DateTimeOffset.UtcNow;
        cluster[1].Signal(Signals.SigKill);
        ClusterEvent? loss = null;
        while (loss is null && await watch.ResponseStream.MoveNext(ct))
        {
            if (watch.ResponseStream.Current is { Kind: EventKind.Membership } e && e.Lost.Contains("node2"))
            {
                loss = e;
            }
        }

        var status = await cluster[0].StatusAsync(ct);
        var answeredAt = DateTimeOffset.UtcNow;
        var lastHeartbeat = answeredAt - TimeSpan.FromMilliseconds(status.Nodes.Single(n => n.Name == "node2").Links[0].LastSeenMsAgo);
        var viewAt = loss!.Time.ToDateTimeOffset();
        return ((viewAt - lastHeartbeat).TotalMilliseconds - tokenMs, (viewAt - killedAt).TotalMilliseconds);
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
