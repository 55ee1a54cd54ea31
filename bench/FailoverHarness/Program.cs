using System.Globalization;
using ClusterD.FailoverHarness;
using ClusterD.Messaging.Security;

// The failover harness: real clusterd processes on loopback, timed from outside. Figures for README/docs.
//   detection [--runs N] [--token MS]... [--binary PATH]  kill -9 -> view change on the survivor, time beyond token (p50/p99)
//   idle [--seconds S] [--binary PATH]                     resident memory and CPU of two idle daemons
//   messaging [--count N] [--cipher C] [--binary PATH]     one-way throughput (64 B, 1 KiB) and request/response RTT between two daemons
//   handshake [--runs N] [--cipher C] [--binary PATH]      connect to confirmed session against a real daemon (p50/p90/p99/max)
//   agents [--runs N]                                      native agents vs the OCF scripts: median wall time per action (root: loop mount)
//   controller-failover [--runs N] [--default-delay-runs M] [--token MS] [--binary PATH]
//                                                          kill -9 of the active node running the seed's shape -> failover phases on the survivor
//   witness-failover [--runs N] [--delay-runs M] [--token MS] [--binary PATH]
//                                                          as controller-failover with the default priority-fencing-delay, with a cloud witness on the local Azure stub and without
//   controller-idle [--seconds S] [--binary PATH]          as idle, with the seed's resources placed and their monitors running
//   controller-share [--runs N] [--agent-delay MS]         in process: the controller's own gaps in a failover (view -> fence, fence -> action, result -> next action)
//   mysql [--runs N] [--token MS] [--binary PATH] [--json FILE] [--stack clusterd|pacemaker|both] [--idle S] [--default-delay-runs M]
//                                                          root: the seed's MySQL stack on the end-to-end testbed, crash and standby N times each,
//                                                          every phase to the first write through haproxy (TESTBED_CHECK_MS: its check interval);
//                                                          both: the same on Corosync + Pacemaker right after, and clusterd's figures as ratios to theirs;
//                                                          each stack's processes idle for S s first (RSS, CPU); M crashes with clusterd's default 15 s fencing delay
//   mysql-faults [--runs N] [--seed S] [--binary PATH]     root: N randomized faults on the testbed under one client, then the safety checks
//   azure-fence [--runs N] [--transition-reads K] [--poll MS]
//                                                          the built-in Azure agent's off + confirm against the local ARM endpoint: requests and wall time
//   scheduled-switchover [--runs N]                        in process against the local metadata endpoint: Reboot listed -> switchover -> acknowledgement
// --cipher: totem.crypto_cipher of the daemons (none, aes128, aes192, aes256; default aes256, as in production).
// --binary runs a native clusterd (deploy/publish.sh) instead of the JIT build's clusterd.dll.
var mode = args.FirstOrDefault() ?? "detection";
var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToLookup(p => p[0], p => p[1]);
int Option(string name, int fallback) => options[name].Select(v => int.Parse(v, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();

var binary = options["--binary"].FirstOrDefault();
var cipherName = options["--cipher"].FirstOrDefault() ?? MessagingCiphers.Default.Name();
if (!MessagingCiphers.TryParse(cipherName, out var cipher))
{
    return Usage();
}

return mode switch
{
    "detection" => await DetectionLatency.RunAsync(Option("--runs", 20), options["--token"].Any()
        ? options["--token"].Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()
        : [1000, 200], binary),
    "idle" => await IdleFootprint.RunAsync(Option("--seconds", 60), binary),
    "messaging" => await MessagingThroughput.RunAsync((uint)Option("--count", 1_000_000), cipher, binary),
    "handshake" => await HandshakeCost.RunAsync(Option("--runs", 2000), cipher, binary),
    "agents" => await AgentActionTimes.RunAsync(Option("--runs", 50)),
    "controller-failover" => await ControllerFailover.RunAsync(Option("--runs", 20), Option("--default-delay-runs", 3), Option("--token", 1000), binary),
    "witness-failover" => await WitnessFailover.RunAsync(Option("--runs", 20), Option("--delay-runs", 3), Option("--token", 1000), binary),
    "controller-idle" => await IdleFootprint.RunAsync(Option("--seconds", 60), binary, resources: true),
    "controller-share" => await ControllerShare.RunAsync(Option("--runs", 100), Option("--agent-delay", 0)),
    "mysql" => await MysqlFailover.RunAsync(Option("--runs", 10), Option("--token", 1000), binary, options["--json"].FirstOrDefault(),
        options["--stack"].FirstOrDefault() ?? "clusterd", Option("--idle", 30), Option("--default-delay-runs", 0)),
    "azure-fence" => await AzureFence.RunAsync(Option("--runs", 50), Option("--transition-reads", 3), Option("--poll", 1000)),
    "mysql-faults" => await MysqlFaults.RunAsync(Option("--runs", 50), Option("--seed", Random.Shared.Next()), binary),
    "scheduler-scale" => await SchedulerScale.RunAsync(
        options["--size"].Any() ? [.. options["--size"].Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : [100, 1_000, 10_000],
        Option("--limit", 300),
        options["--binary"].FirstOrDefault()),
    "scheduled-switchover" => await ScheduledSwitchover.RunAsync(Option("--runs", 20)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FailoverHarness detection [--runs N] [--token MS]... [--binary PATH] | idle [--seconds S] [--binary PATH]" +
        " | messaging [--count N] [--cipher none|aes128|aes192|aes256] [--binary PATH] | handshake [--runs N] [--cipher C] [--binary PATH] | agents [--runs N]" +
        " | controller-failover [--runs N] [--default-delay-runs M] [--token MS] [--binary PATH] | witness-failover [--runs N] [--delay-runs M] [--token MS] [--binary PATH]" +
        " | controller-idle [--seconds S] [--binary PATH] | controller-share [--runs N] [--agent-delay MS] | mysql [--runs N] [--token MS] [--binary PATH] [--json FILE] [--stack clusterd|pacemaker|both] [--idle S] [--default-delay-runs M]" +
        " | mysql-faults [--runs N] [--seed S] [--binary PATH] | azure-fence [--runs N] [--transition-reads K] [--poll MS] | scheduler-scale [--size N]... [--limit S] [--binary PATH] | scheduled-switchover [--runs N]");
    return 64;
}
