using System.Diagnostics;
using System.Globalization;
using ClusterD.Controller.Configuration;
using ClusterD.ResourceManager.Configuration;
using ClusterD.TestKit.Processes;

namespace ClusterD.FailoverHarness;

/// <summary>
/// Two real daemons on loopback with the seed's resource shape pre-seeded in their state directories:
/// Stateful promotable clone, a group of three Dummy after it, and a test fence device (a <c>fence_*</c>
/// script found through <c>clusterd.fence_agent_dir</c>) that "powers off" its victim at once: kill -9 of
/// its daemon and removal of its agents' state. Each node's agents keep their state under its own directory.
/// </summary>
internal sealed class ResourceBed : IAsyncDisposable
{
    public const string FenceAgent = "fence_clusterd_test";

    /// <summary>The seed's shape and monitor intervals (10-31 s); <paramref name="fencingDelay"/> null leaves <c>priority-fencing-delay</c> unset (15 s).</summary>
    public static string SeedShape(string? fencingDelay) => $"""
        primitive fence_test stonith:{FenceAgent} params pcmk_host_list="node1 node2"
        primitive drbd_mysql ocf:pacemaker:Stateful \
            op monitor interval=29s role=Promoted \
            op monitor interval=31s role=Unpromoted
        clone ms_drbd_mysql drbd_mysql meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true
        primitive fs_mysql ocf:heartbeat:Dummy op monitor interval=20s
        primitive mysqld ocf:heartbeat:Dummy op monitor interval=10s
        primitive probe_port ocf:heartbeat:Dummy op monitor interval=10s
        group mysql fs_mysql mysqld probe_port
        colocation mysql_on_drbd inf: mysql ms_drbd_mysql:Promoted
        order mysql_after_drbd Mandatory: ms_drbd_mysql:promote mysql:start
        rsc_defaults resource-stickiness=100 migration-threshold=2
        property stonith-enabled=true{(fencingDelay is null ? "" : " priority-fencing-delay=" + fencingDelay)}
        """;

    private static readonly string[] Group = ["fs_mysql", "mysqld", "probe_port"];

    public ResourceBed(string configuration, int tokenMs, string? binary)
    {
        Cluster = LoopbackCluster.Create(2, tokenMs, binary: binary);
        FenceDir = Path.Combine(Cluster.Root, "fence");
        Directory.CreateDirectory(FenceDir);
        var script = Path.Combine(FenceDir, FenceAgent);
        File.WriteAllText(script, FenceScript(Cluster.Root));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = CrmParser.Parse(configuration).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };
        for (var i = 0; i < Cluster.Names.Length; i++)
        {
            var text = File.ReadAllText(Cluster.ConfigPath(i));
            File.WriteAllText(Cluster.ConfigPath(i), text.Replace("    messaging_port:", $"    fence_agent_dir: {FenceDir}\n    messaging_port:", StringComparison.Ordinal));
            new ConfigStore(StateDir(i)).Save(config);
        }
    }

    public LoopbackCluster Cluster { get; }

    public string FenceDir { get; }

    public ClusterdProcess this[int index] => Cluster[index];

    public void StartAll()
    {
        for (var i = 0; i < Cluster.Names.Length; i++)
        {
            var process = Cluster.Start(i);
            File.WriteAllText(Path.Combine(FenceDir, Cluster.Names[i] + ".pid"), process.Pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Waits (polling the agents' state files) until one node runs the promoted instance and the whole group and the other the unpromoted instance; returns the active node, or null after <paramref name="limit"/>.</summary>
    public async Task<int?> WaitPlacedAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            for (var i = 0; i < 2; i++)
            {
                if (RoleOn(i, "drbd_mysql") == "Promoted" && Group.All(r => RoleOn(i, r) == "Started") && RoleOn(1 - i, "drbd_mysql") == "Unpromoted")
                {
                    return i;
                }
            }

            await Task.Delay(20);
        }

        return null;
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    private string StateDir(int index) => Path.Combine(Cluster.Root, Cluster.Names[index], Cluster.Names[index]);

    private string AgentDir(int index) => Path.Combine(StateDir(index), "agents");

    /// <summary>Stateful's role, or Started for a Dummy with a state file.</summary>
    private string? RoleOn(int index, string resource)
    {
        var stateful = Path.Combine(AgentDir(index), $"Stateful-{resource}.state");
        try
        {
            if (File.Exists(stateful))
            {
                return File.ReadAllText(stateful).Trim();
            }
        }
        catch (IOException)
        {
            return null; // being rewritten
        }

        return File.Exists(Path.Combine(AgentDir(index), $"Dummy-{resource}.state")) ? "Started" : null;
    }

    /// <summary>A fence agent speaking the fence_* stdin protocol: off kills the victim's daemon and removes its agents' state.</summary>
    private static string FenceScript(string root) => $$"""
        #!/bin/sh
        action=""; plug=""
        while IFS='=' read -r key value; do
            case "$key" in
                action) action="$value" ;;
                plug|port) plug="$value" ;;
            esac
        done
        dir=$(dirname "$0")
        case "$action" in
            off|reboot)
                if [ -f "$dir/$plug.pid" ]; then kill -9 "$(cat "$dir/$plug.pid")" 2>/dev/null; fi
                rm -rf "{{root}}/$plug/$plug/agents"
                echo "$plug" >> "$dir/fenced"
                exit 0 ;;
            on|status|monitor) exit 0 ;;
            list) echo "node1"; echo "node2"; exit 0 ;;
            metadata) echo '<?xml version="1.0" ?><resource-agent name="fence_clusterd_test"><parameters/><actions><action name="off"/><action name="on"/><action name="status"/><action name="monitor"/><action name="list"/><action name="metadata"/></actions></resource-agent>'; exit 0 ;;
            *) exit 1 ;;
        esac
        """;
}
