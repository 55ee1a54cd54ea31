using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Benchmarks.ResourceManager;

/// <summary>
/// One scheduler run (what the DC does on every event). Seed: the seed's stack with fencing on two
/// nodes, steady (nothing to do) or with the Primary lost (fence, promote, mount, start). Large: 16
/// nodes, 10 promotable clones each with a group of 3 colocated with its Promoted instance and
/// ordered after its promotion (50 primitives), from a cold start with promotion scores.
/// </summary>
public class SchedulerBenchmarks
{
    private ClusterConfig _config = ClusterConfig.Empty;
    private ClusterStatus _status = ClusterStatus.Empty;

    [Params("seed-steady", "seed-failover", "large-cold")]
    public string Scenario { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        if (Scenario.StartsWith("seed", StringComparison.Ordinal))
        {
            _config = CrmParser.Parse(Stack(["hadb01", "hadb02"], stacks: 1)).GetConfigOrThrow();
            var failed = Scenario == "seed-failover";
            _status = new ClusterStatus
            {
                Quorate = true,
                Nodes =
                [
                    new NodeStatus("hadb01", Online: !failed, Unclean: failed, Attributes: AttributeMap.Of(("master-drbd0", "10000"))),
                    new NodeStatus("hadb02", Online: true, Attributes: AttributeMap.Of(("master-drbd0", "10000"))),
                ],
                Resources =
                [
                    new ResourceStatus("drbd0", "ocf:linbit:drbd", [new ResourceInstance("hadb01", InstanceRole.Promoted), new ResourceInstance("hadb02", InstanceRole.Unpromoted)]),
                    new ResourceStatus("fs0", "ocf:heartbeat:Filesystem", [new ResourceInstance("hadb01", InstanceRole.Started)]),
                    new ResourceStatus("db0", "ocf:heartbeat:mysql", [new ResourceInstance("hadb01", InstanceRole.Started)]),
                    new ResourceStatus("web0", "ocf:pacemaker:Dummy", [new ResourceInstance("hadb01", InstanceRole.Started)]),
                    new ResourceStatus("fence", "stonith:fence_azure_arm", [new ResourceInstance("hadb02", InstanceRole.Started)]),
                ],
            };
        }
        else
        {
            var nodes = Enumerable.Range(1, 16).Select(i => $"n{i:00}").ToArray();
            _config = CrmParser.Parse(Stack(nodes, stacks: 10)).GetConfigOrThrow();
            _status = new ClusterStatus
            {
                Quorate = true,
                Nodes = [.. nodes.Select((n, i) => new NodeStatus(n, Online: true, Attributes: AttributeMap.Create(
                    Enumerable.Range(0, 10).Select(s => KeyValuePair.Create($"master-drbd{s}", ((i + s) % 16 * 100).ToString(CultureInfo.InvariantCulture))))))],
            };
        }

        // Fail early, not in the measurement, when a scenario is not what it says.
        var graph = Scheduler.Schedule(_config, _status);
        if ((Scenario == "seed-steady") != graph.IsEmpty)
        {
            throw new InvalidOperationException($"{Scenario}: {graph.Actions.Length} actions");
        }
    }

    [Benchmark]
    public int Schedule() => Scheduler.Schedule(_config, _status).Actions.Length;

    private static string Stack(string[] nodes, int stacks)
    {
        var crm = new StringBuilder();
        foreach (var node in nodes)
        {
            crm.Append(CultureInfo.InvariantCulture, $"node {node}\n");
        }

        for (var s = 0; s < stacks; s++)
        {
            crm.Append(CultureInfo.InvariantCulture, $"""
                primitive drbd{s} ocf:linbit:drbd params drbd_resource=r{s} op monitor interval=29s role=Promoted op monitor interval=31s role=Unpromoted
                ms ms_drbd{s} drbd{s} meta promoted-max=1 clone-max=2
                primitive fs{s} ocf:heartbeat:Filesystem params device=/dev/drbd{s} directory=/srv/{s} fstype=ext3 op monitor interval=20s
                primitive db{s} ocf:heartbeat:mysql op monitor interval=10s
                primitive web{s} ocf:pacemaker:Dummy op monitor interval=10s
                group g{s} fs{s} db{s} web{s}
                colocation g{s}_on_drbd inf: g{s} ms_drbd{s}:Promoted
                order g{s}_after_drbd Mandatory: ms_drbd{s}:promote g{s}:start

                """);
        }

        crm.Append("primitive fence stonith:fence_azure_arm\nproperty stonith-enabled=true\n");
        return crm.ToString();
    }
}
