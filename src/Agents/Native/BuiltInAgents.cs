using ClusterD.Agents.Native.Drbd;
using ClusterD.Agents.Native.Dummy;
using ClusterD.Agents.Native.Filesystem;
using ClusterD.Agents.Native.Mysql;
using ClusterD.Agents.Native.Stateful;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Native.ProbePort;

namespace ClusterD.Agents.Native;

/// <summary>
/// Registers the native agents that ship with ClusterD, under their own <c>ocf:clusterd:</c>
/// names and under the script names they stand in for. A new native agent adds its lines here.
/// </summary>
public static class BuiltInAgents
{
    /// <summary>Registers every built-in native agent into <paramref name="registry"/>.</summary>
    /// <param name="runner">Runs the system programs native agents need (mount, fsck, drbdadm); by default one without orphan reaping.</param>
    public static AgentRegistry RegisterBuiltIns(this AgentRegistry registry, NativeAgentOptions options, TimeProvider time, AgentProcessRunner? runner = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        runner ??= new AgentProcessRunner(new AgentProcessRunnerOptions(), time);
        foreach (var name in new[] { "ocf:clusterd:Dummy", "ocf:heartbeat:Dummy", "ocf:pacemaker:Dummy" })
        {
            registry.Register(name, n => new DummyAgent(n, options, time));
        }

        foreach (var name in new[] { "ocf:clusterd:Stateful", "ocf:pacemaker:Stateful" })
        {
            registry.Register(name, n => new StatefulAgent(n, options, time));
        }

        foreach (var name in new[] { "ocf:clusterd:probe-port", "ocf:heartbeat:azure-lb" })
        {
            registry.Register(name, n => new ProbePortAgent(n, time));
        }

        foreach (var name in new[] { "ocf:clusterd:Filesystem", "ocf:heartbeat:Filesystem" })
        {
            registry.Register(name, n => new FilesystemAgent(n, options, runner, time));
        }

        foreach (var name in new[] { "ocf:clusterd:drbd", "ocf:linbit:drbd" })
        {
            registry.Register(name, n => new DrbdAgent(n, options, runner, time));
        }

        foreach (var name in new[] { "ocf:clusterd:mysql", "ocf:heartbeat:mysql" })
        {
            registry.Register(name, n => new MysqlAgent(n, runner, time));
        }

        return registry;
    }
}
