using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ClusterD.Admin.V1;
using ClusterD.Messaging.Security;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// <c>clusterd demo</c>: two real clusterd processes on loopback addresses (no root, no packages) run the
/// seed's resource shape with Dummy and Stateful agents and a fence device of the demo's own. The drill
/// loads the configuration through the admin API, waits until everything is placed, moves it with a
/// standby of the active node (a planned switchover), then SIGKILLs the node holding Promoted (a hard
/// failover: detection, fencing, promotion, group start), and prints both timelines as the daemons
/// reported them on WatchEvents. Every wait has a deadline. Cleans up its processes and files.
/// </summary>
internal static partial class DemoDrill
{
    private static readonly string[] Names = ["hadb01", "hadb02"];
    private static readonly string[] GroupMembers = ["fs_mysql", "mysqld", "probe_port"];

    public static async Task<int> RunAsync(Dictionary<string, string> options, TextWriter output)
    {
        var tokenMs = TokenMs(options);
        var time = TimeProvider.System;
        var root = Directory.CreateTempSubdirectory("clusterd-demo-").FullName;
        var nodes = new List<DemoNode>();
        DemoTimeline? timeline = null;
        var keepFiles = false;
        var start = time.GetTimestamp();
        void Say(string text) => output.WriteLine($"[{time.GetElapsedTime(start).TotalMilliseconds,8:F0} ms] {text}");

        // Cold start and placement include agent probes and starts; the drills wait for the token, the fence and the moves.
        var settleLimit = TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(tokenMs * 10);
        try
        {
            var (addresses, port) = ChooseAddresses();
            var authkey = Path.Combine(root, "authkey");
            var fenceDir = Path.Combine(root, "fence");
            AuthKeyFile.Generate(authkey, 1);
            Directory.CreateDirectory(fenceDir);
            var fenceAgent = Path.Combine(fenceDir, DemoFiles.FenceAgent);
            await File.WriteAllTextAsync(fenceAgent, DemoFiles.FenceScript(root, Names));
            File.SetUnixFileMode(fenceAgent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Say($"Cluster 'demo' with token {tokenMs} ms: {Names[0]} on {addresses[0]}, {Names[1]} on {addresses[1]}, UDP port {port}; files in {root}");
            for (var i = 0; i < Names.Length; i++)
            {
                var dir = Path.Combine(root, Names[i]);
                Directory.CreateDirectory(dir);
                var config = Path.Combine(dir, "clusterd.conf");
                await File.WriteAllTextAsync(config, DemoFiles.DaemonConfig(Names, addresses, port, tokenMs, dir, authkey, fenceDir));
                nodes.Add(DemoNode.Start(Names[i], config, Path.Combine(dir, "clusterd.sock"), Path.Combine(dir, "clusterd.log")));

                // The fence device finds its victim's daemon by this pid file (a real one cuts the power).
                await File.WriteAllTextAsync(Path.Combine(fenceDir, Names[i] + ".pid"), nodes[i].Pid.ToString(CultureInfo.InvariantCulture));
                Say($"started clusterd for {Names[i]} (pid {nodes[i].Pid})");
            }

            foreach (var node in nodes)
            {
                var status = await node.WaitForStatusAsync(s => s.Quorate && s.Nodes.All(n => n.Online), TimeSpan.FromSeconds(20), time);
                Say($"{node.Name}: view {status.RingId} with [{string.Join(" ", status.Nodes.Where(n => n.Online).Select(n => n.Name))}], quorate, DC {status.Dc}");
            }

            var configuration = DemoFiles.Configuration(Names);
            var loaded = await nodes[0].Client.LoadConfigurationAsync(new LoadConfigurationRequest { Text = configuration, Replace = true, Name = "demo.crm" });
            Say($"LoadConfiguration on {Names[0]}: {loaded.Message}");
            foreach (var line in configuration.Split('\n'))
            {
                output.WriteLine("    " + line);
            }

            Say(DemoFiles.PriorityFencingNote);
            var placed = await WaitForDcAsync(nodes, s => DemoStatus.Active(s) is { } a && DemoStatus.Settled(s, a, Names.First(n => n != a)), settleLimit, time);
            var active = DemoStatus.Active(placed)!;
            var passive = Names.First(n => n != active);
            Say($"placed: {active} is active (drbd_mysql Promoted, group mysql Started), {passive} holds drbd_mysql Unpromoted");
            PrintStatus(output, placed);

            timeline = await DemoTimeline.SubscribeAsync(nodes, TimeSpan.FromSeconds(10), time);

            // 1. Planned switchover: the active node goes into standby, everything moves in the safe order.
            var standbyAt = time.GetUtcNow();
            var standby = await nodes[0].Client.StandbyAsync(new StandbyRequest { Node = active, On = true });
            Say($"SWITCHOVER: Standby({active}, on): {standby.Message}");
            var switched = await RecordUntilAsync(timeline, nodes, s => DemoStatus.Settled(s, passive, null), settleLimit, time);
            PrintTimeline(output, $"Switchover timeline (t=0: Standby({active}) requested)", switched, standbyAt);
            Say(SwitchoverDone(switched, passive, standbyAt, GroupMembers));

            var online = await nodes[0].Client.StandbyAsync(new StandbyRequest { Node = active, On = false });
            Say($"Standby({active}, off): {online.Message}");
            await RecordUntilAsync(timeline, nodes, s => DemoStatus.Settled(s, passive, active), settleLimit, time);
            Say($"{active} is back: drbd_mysql Unpromoted there, everything stays on {passive} (resource-stickiness=100)");

            // 2. Hard failover: the node holding Promoted dies without a word; the survivor must fence it before it takes over.
            var victim = nodes.First(n => n.Name == passive);
            var survivor = nodes.First(n => n.Name == active);
            var killedAt = time.GetUtcNow();
            victim.Kill();
            Say($"FAULT: SIGKILL {victim.Name} (pid {victim.Pid}), which holds drbd_mysql Promoted and runs group mysql");
            var failedOver = await RecordUntilAsync(timeline, [survivor], s => DemoStatus.Settled(s, survivor.Name, null) && s.Fencing.Any(f => f.Target == victim.Name && f.Result == "succeeded"), settleLimit, time);
            PrintTimeline(output, $"Failover timeline as {survivor.Name} reported it (t=0: SIGKILL {victim.Name})", failedOver, killedAt);
            PrintFailoverSummary(output, failedOver, killedAt, "kill", victim.Name, survivor.Name, tokenMs, DemoFiles.FenceAgent, GroupMembers);

            var final = await survivor.StatusAsync(time);
            PrintStatus(output, final);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or Grpc.Core.RpcException or IOException)
        {
            Say($"demo failed: {e.Message} (the daemons' logs are kept in {root})");
            keepFiles = true;
            return ExitCodes.Failure;
        }
        finally
        {
            if (timeline is not null)
            {
                await timeline.DisposeAsync();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            Say("stopped the demo daemons");
            if (!keepFiles)
            {
                TryDeleteDirectory(root);
            }
        }
    }

    /// <summary>The demo's token: <c>--token MS</c>, 50 ms to 60 s, 1000 ms by default.</summary>
    public static int TokenMs(Dictionary<string, string> options) =>
        options.TryGetValue("--token", out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out var ms) ? Math.Clamp(ms, 50, 60_000) : 1000;

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
