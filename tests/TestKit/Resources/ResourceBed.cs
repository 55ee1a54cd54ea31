using System.Globalization;
using ClusterD.Controller.Configuration;
using ClusterD.ResourceManager.Configuration;
using ClusterD.TestKit.Processes;

namespace ClusterD.TestKit.Resources;

/// <summary>
/// Real clusterd daemons on loopback with a resource configuration pre-seeded in their state directories.
/// Each node's agents keep their state under its own directory, and a test fence device (a <c>fence_*</c>
/// script found through <c>clusterd.fence_agent_dir</c>) "powers off" its victim: kill -9 of the victim's
/// daemon and removal of its agents' state, so nothing of it runs any more. The script stands for an
/// instant power switch: shell built-ins but for one <c>rm</c>, so a loaded machine's process start-ups
/// weigh as little as they can on a failover measured through it.
/// </summary>
public sealed class ResourceBed : IAsyncDisposable
{
    public const string FenceAgent = "fence_clusterd_test";

    public ResourceBed(string configuration, int tokenMs = 1000, string? binary = null)
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

    /// <summary>Adds <paramref name="section"/> (e.g. a <c>witness { ... }</c> block) to every node's <c>quorum</c> section; before the nodes start.</summary>
    public void AddToQuorum(string section)
    {
        for (var i = 0; i < Cluster.Names.Length; i++)
        {
            var text = File.ReadAllText(Cluster.ConfigPath(i));
            File.WriteAllText(Cluster.ConfigPath(i), text.Replace("quorum {\n", "quorum {\n" + section + "\n", StringComparison.Ordinal));
        }
    }

    /// <summary>The seed's shape on node1/node2 with this bed's fence device (<see cref="SeedShape.Crm"/>).</summary>
    public static string SeedShapeCrm(string? fencingDelay = "0", MonitorIntervals? monitors = null) =>
        SeedShape.Crm(fenceAgent: FenceAgent, fencingDelay: fencingDelay, monitors: monitors);

    public LoopbackCluster Cluster { get; }

    public string FenceDir { get; }

    public ClusterdProcess this[int index] => Cluster[index];

    /// <summary>Targets the fence device was asked to power off, in order.</summary>
    public IReadOnlyList<string> Fenced =>
        File.Exists(Path.Combine(FenceDir, "fenced")) ? File.ReadAllLines(Path.Combine(FenceDir, "fenced")) : [];

    public string StateDir(int index) => Path.Combine(Cluster.Root, Cluster.Names[index], Cluster.Names[index]);

    public string AgentDir(int index) => Path.Combine(StateDir(index), "agents");

    public void Start(int index)
    {
        var process = Cluster.Start(index);
        File.WriteAllText(Path.Combine(FenceDir, Cluster.Names[index] + ".pid"), process.Pid.ToString(CultureInfo.InvariantCulture));
    }

    public void StartAll()
    {
        for (var i = 0; i < Cluster.Names.Length; i++)
        {
            Start(i);
        }
    }

    /// <summary>What the node's agents say runs there: Stateful's role, or Started for a Dummy with a state file.</summary>
    public string? RoleOn(int index, string resource)
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
            return null; // being rewritten or removed
        }

        return File.Exists(Path.Combine(AgentDir(index), $"Dummy-{resource}.state")) ? "Started" : null;
    }

    /// <summary>The node where the seed's Stateful instance is Promoted and its whole group runs; null while there is none.</summary>
    public int? Active()
    {
        for (var i = 0; i < Cluster.Names.Length; i++)
        {
            if (RoleOn(i, SeedShape.Drbd) == "Promoted" && SeedShape.GroupMembers.All(r => RoleOn(i, r) == "Started"))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, or <paramref name="limit"/> passed. The agents' state files
    /// are the truth of what runs; nothing announces their change, so they are read again every 20 ms.
    /// </summary>
    public Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken) =>
        Poll.UntilAsync(condition, limit, TimeSpan.FromMilliseconds(20), cancellationToken);

    public string Describe() =>
        string.Join("\n", Enumerable.Range(0, Cluster.Names.Length).Select(i =>
            $"{Cluster.Names[i]} agents: {(Directory.Exists(AgentDir(i)) ? string.Join(", ", Directory.GetFiles(AgentDir(i)).Select(Path.GetFileName)) : "(none)")}"))
        + $"\nfenced: {string.Join(", ", Fenced)}"
        + string.Concat(Enumerable.Range(0, Cluster.Names.Length).Select(i => $"\n--- {Cluster.Names[i]} ---\n{Tail(Output(i), 80)}"));

    public string Output(int index)
    {
        try
        {
            return Cluster[index].Output;
        }
        catch (InvalidOperationException)
        {
            return "(not running)";
        }
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    private static string Tail(string text, int lines) => string.Join("\n", text.Split('\n').TakeLast(lines));

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
        dir=${0%/*}
        case "$action" in
            off|reboot)
                if [ -f "$dir/$plug.pid" ]; then read -r pid < "$dir/$plug.pid"; kill -9 "$pid" 2>/dev/null; fi
                rm -rf "{{root}}/$plug/$plug/agents"
                echo "$plug" >> "$dir/fenced"
                exit 0 ;;
            on|status|monitor) exit 0 ;;
            list) echo "node1"; echo "node2"; exit 0 ;;
            metadata) echo '<?xml version="1.0" ?><resource-agent name="{{FenceAgent}}"><parameters/><actions><action name="off"/><action name="on"/><action name="status"/><action name="monitor"/><action name="list"/><action name="metadata"/></actions></resource-agent>'; exit 0 ;;
            *) exit 1 ;;
        esac
        """;
}
