using ClusterD.Agents.Native;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native.Drbd;

/// <summary>
/// Two nodes' <c>drbdadm</c>/<c>drbdsetup</c> stand-ins (drbd-standin.sh) over one shared state directory:
/// each node gets its own tool directory, first on its agent's tool path, and its own native state directory.
/// </summary>
internal sealed class DrbdStandIn : IDisposable
{
    private readonly TempDirectory _dir = new("clusterd-drbd-");

    public DrbdStandIn(string version = "9")
    {
        Directory.CreateDirectory(State);
        var script = Path.Combine(AppContext.BaseDirectory, "Native", "Drbd", "drbd-standin.sh");
        foreach (var (node, peer) in new[] { ("a", "b"), ("b", "a") })
        {
            foreach (var tool in new[] { "drbdadm", "drbdsetup" })
            {
                _dir.WriteScript(Path.Combine($"tools-{node}", tool),
                    $"#!/bin/bash\nexec env STANDIN_NODE={node} STANDIN_PEER={peer} STANDIN_STATE='{State}' STANDIN_VERSION={version} /bin/bash '{script}' {tool} \"$@\"\n");
            }
        }
    }

    public string State => _dir.Combine("state");

    /// <summary>Agent options of <paramref name="node"/> ("a" or "b"): its stand-ins first on the tool path.</summary>
    public NativeAgentOptions Options(string node) => new()
    {
        StateDirectory = _dir.Combine($"agent-state-{node}"),
        ToolPath = $"{_dir.Combine($"tools-{node}")}:{new NativeAgentOptions().ToolPath}",
        DrbdProcFile = Path.Combine(State, $"proc-drbd.{node}"),
    };

    /// <summary>Adds a resource to the (shared) DRBD configuration.</summary>
    public void Define(string resource, int minor = 1)
    {
        Directory.CreateDirectory(Path.Combine(State, resource));
        File.WriteAllText(Path.Combine(State, resource, "defined"), $"{minor}\n");
    }

    public void SetDisk(string resource, string node, string disk) => File.WriteAllText(Path.Combine(State, resource, $"{node}.disk"), disk + "\n");

    public string Disk(string resource, string node) => Read(resource, $"{node}.disk") ?? "UpToDate";

    public string Role(string resource, string node) => Read(resource, $"{node}.role") ?? "Secondary";

    public bool IsUp(string resource, string node) => File.Exists(Path.Combine(State, resource, $"{node}.up"));

    /// <summary>The node crashed: its DRBD is gone (what the peer sees of a power-off).</summary>
    public void Crash(string resource, string node)
    {
        File.Delete(Path.Combine(State, resource, $"{node}.up"));
        File.WriteAllText(Path.Combine(State, resource, $"{node}.role"), "Secondary\n");
    }

    /// <summary>Every tool call a node made, one per line.</summary>
    public string Calls(string node) => File.Exists(Path.Combine(State, $"calls.{node}")) ? File.ReadAllText(Path.Combine(State, $"calls.{node}")) : "";

    private string? Read(string resource, string file)
    {
        var path = Path.Combine(State, resource, file);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public void Dispose() => _dir.Dispose();
}
