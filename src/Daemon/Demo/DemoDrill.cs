using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ClusterD.Admin.V1;
using ClusterD.Messaging.Security;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// <c>clusterd demo</c>: starts two real clusterd processes on loopback addresses (no root, no
/// packages), waits until they form a quorate view, SIGKILLs one, and prints the timeline of
/// fault, detection and new view as the survivor reports it. Cleans up its processes and files.
/// </summary>
internal static class DemoDrill
{
    private static readonly string[] Names = ["hadb01", "hadb02"];

    public static async Task<int> RunAsync(Dictionary<string, string> options, TextWriter output)
    {
        var tokenMs = options.TryGetValue("--token", out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out var ms) ? Math.Clamp(ms, 50, 60_000) : 1000;
        var time = TimeProvider.System;
        var root = Directory.CreateTempSubdirectory("clusterd-demo-").FullName;
        var nodes = new List<DemoNode>();
        var start = time.GetTimestamp();
        void Say(string text) => output.WriteLine($"[{time.GetElapsedTime(start).TotalMilliseconds,8:F0} ms] {text}");
        try
        {
            var (addresses, port) = ChooseAddresses();
            AuthKeyFile.Generate(Path.Combine(root, "authkey"), 1);
            Say($"Cluster 'demo' with token {tokenMs} ms: {Names[0]} on {addresses[0]}, {Names[1]} on {addresses[1]}, UDP port {port}; files in {root}");
            for (var i = 0; i < Names.Length; i++)
            {
                var dir = Path.Combine(root, Names[i]);
                Directory.CreateDirectory(dir);
                var config = Path.Combine(dir, "clusterd.conf");
                await File.WriteAllTextAsync(config, DemoConfig(addresses, port, tokenMs, dir, Path.Combine(root, "authkey")));
                nodes.Add(DemoNode.Start(Names[i], config, Path.Combine(dir, "clusterd.sock"), Path.Combine(dir, "clusterd.log")));
                Say($"started clusterd for {Names[i]} (pid {nodes[i].Pid})");
            }

            foreach (var node in nodes)
            {
                var status = await node.WaitForStatusAsync(s => s.Quorate && s.Nodes.All(n => n.Online), TimeSpan.FromSeconds(20), time);
                Say($"{node.Name}: view {status.RingId} with [{string.Join(" ", status.Nodes.Where(n => n.Online).Select(n => n.Name))}], quorate, DC {status.Dc}");
            }

            using var watch = nodes[0].Client.WatchEvents(new WatchEventsRequest());
            var survivorSawLoss = WaitForLossAsync(watch.ResponseStream, Names[1], time);
            await Task.Delay(TimeSpan.FromMilliseconds(300), time); // let the watch subscribe before the fault
            var killedAt = time.GetTimestamp();
            nodes[1].Kill();
            Say($"FAULT: SIGKILL {Names[1]} (pid {nodes[1].Pid})");
            var loss = await survivorSawLoss.WaitAsync(TimeSpan.FromMilliseconds(tokenMs * 10), time);
            var detected = time.GetElapsedTime(killedAt);
            Say($"DETECTED by {Names[0]}: {Names[1]} lost {detected.TotalMilliseconds:F0} ms after the kill (token {tokenMs} ms)");
            Say($"NEW VIEW on {Names[0]}: {loss.RingId} [{string.Join(" ", loss.Members)}], {(loss.Quorate ? "quorate (two_node)" : "NOT quorate")}, DC {loss.Dc}");
            var after = await nodes[0].Client.GetStatusAsync(new GetStatusRequest());
            var peer = after.Nodes.First(n => n.Name == Names[1]);
            Say($"status on {Names[0]}: {Names[1]} online={peer.Online} unclean={peer.Unclean}; later issues fence it and move resources");

            output.WriteLine();
            output.WriteLine("Timeline:");
            output.WriteLine($"  fault      t=0 ms        SIGKILL {Names[1]}");
            output.WriteLine($"  detection  t={detected.TotalMilliseconds:F0} ms  no heartbeat on any link for token={tokenMs} ms (the last one came up to one");
            output.WriteLine($"                          heartbeat interval, {tokenMs / 5} ms, before the kill)");
            output.WriteLine($"  new view   t={detected.TotalMilliseconds:F0} ms  ring {loss.RingId} on {Names[0]}, still quorate: two_node keeps a lone survivor quorate");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or Grpc.Core.RpcException or IOException)
        {
            Say($"demo failed: {e.Message} (logs are in {root})");
            return ExitCodes.Failure;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            Say("stopped the demo daemons");
            TryDeleteDirectory(root);
        }
    }

    private static async Task<ClusterEvent> WaitForLossAsync(Grpc.Core.IAsyncStreamReader<ClusterEvent> events, string name, TimeProvider time)
    {
        _ = time;
        while (await events.MoveNext(CancellationToken.None))
        {
            if (events.Current.Kind == EventKind.Membership && events.Current.Lost.Contains(name))
            {
                return events.Current;
            }
        }

        throw new InvalidOperationException("the survivor's event stream ended before the loss was reported");
    }

    /// <summary>Two loopback addresses and a UDP port that both can bind right now.</summary>
    private static (IPAddress[] Addresses, int Port) ChooseAddresses()
    {
        var random = new Random();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var third = random.Next(1, 255);
            IPAddress[] addresses = [IPAddress.Parse($"127.0.{third}.11"), IPAddress.Parse($"127.0.{third}.12")];
            var port = random.Next(20000, 40000);
            try
            {
                foreach (var address in addresses)
                {
                    using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    probe.Bind(new IPEndPoint(address, port));
                }

                return (addresses, port);
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("no free loopback address and port for the demo");
    }

    private static string DemoConfig(IPAddress[] addresses, int port, int tokenMs, string dir, string authkey) => $$"""
        totem {
            version: 2
            cluster_name: demo
            token: {{tokenMs}}
            transport: udpu
            interface {
                linknumber: 0
                mcastport: {{port}}
            }
        }
        nodelist {
            node {
                nodeid: 1
                name: {{Names[0]}}
                ring0_addr: {{addresses[0]}}
            }
            node {
                nodeid: 2
                name: {{Names[1]}}
                ring0_addr: {{addresses[1]}}
            }
        }
        quorum {
            provider: corosync_votequorum
            two_node: 1
        }
        clusterd {
            state_dir: {{dir}}
            admin_socket: {{dir}}/clusterd.sock
            authkey: {{authkey}}
            messaging_port: {{port + 1}}
        }
        """;

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Leave it; it is under /tmp.
        }
    }
}
