using System.Globalization;
using ClusterD.FailoverHarness;

// The failover harness: real clusterd processes on loopback, timed from outside. Figures for README/docs.
//   detection [--runs N] [--token MS]... [--binary PATH]  kill -9 -> view change on the survivor, time beyond token (p50/p99)
//   idle [--seconds S] [--binary PATH]                     resident memory and CPU of two idle daemons
//   messaging [--count N] [--binary PATH]                  one-way throughput (64 B, 1 KiB) and request/response RTT between two daemons
//   agents [--runs N]                                      native agents vs the OCF scripts: median wall time per action (root: loop mount)
// --binary runs a native clusterd (deploy/publish.sh) instead of the JIT build's clusterd.dll.
var mode = args.FirstOrDefault() ?? "detection";
var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToLookup(p => p[0], p => p[1]);
int Option(string name, int fallback) => options[name].Select(v => int.Parse(v, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();

var binary = options["--binary"].FirstOrDefault();
return mode switch
{
    "detection" => await DetectionLatency.RunAsync(Option("--runs", 20), options["--token"].Any()
        ? options["--token"].Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()
        : [1000, 200], binary),
    "idle" => await IdleFootprint.RunAsync(Option("--seconds", 60), binary),
    "messaging" => await MessagingThroughput.RunAsync((uint)Option("--count", 1_000_000), binary),
    "agents" => await AgentActionTimes.RunAsync(Option("--runs", 50)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FailoverHarness detection [--runs N] [--token MS]... [--binary PATH] | idle [--seconds S] [--binary PATH] | messaging [--count N] | agents [--runs N]");
    return 64;
}
