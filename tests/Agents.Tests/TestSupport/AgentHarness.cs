using ClusterD.Agents.Native;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;

namespace ClusterD.Agents.Tests.TestSupport;

/// <summary>
/// Real runners over a scratch directory: its own OCF root, init directory, HA_RSCTMP and native
/// state directory, with the installed resource-agents at <see cref="SystemOcfRoot"/>.
/// </summary>
internal sealed class AgentHarness : IDisposable
{
    public const string SystemOcfRoot = "/usr/lib/ocf";

    public TempDirectory Dir { get; } = new();

    public AgentProcessRunner Runner { get; } = new(
        new AgentProcessRunnerOptions { ReapOrphans = true, TerminateGrace = TimeSpan.FromMilliseconds(500) },
        TimeProvider.System);

    /// <summary>Options for the installed agents, with state kept in the scratch directory.</summary>
    public ScriptAgentOptions SystemScripts => new()
    {
        OcfRoot = SystemOcfRoot,
        ResourceTempDirectory = Dir.Combine("rsctmp"),
        InitDirectory = Dir.Combine("init.d"),
        SystemdRuntimeDirectory = Dir.Combine("no-systemd"),
    };

    /// <summary>Options for test agents written under <see cref="TestOcfRoot"/>, with the real shell library.</summary>
    public ScriptAgentOptions TestScripts => SystemScripts with
    {
        OcfRoot = TestOcfRoot,
        OcfFunctionsDirectory = SystemOcfRoot + "/lib/heartbeat",
    };

    public string TestOcfRoot => Dir.Combine("ocf");

    public NativeAgentOptions Native => new() { StateDirectory = Dir.Combine("state") };

    public string WriteOcfAgent(string provider, string type, string body) =>
        Dir.WriteScript(System.IO.Path.Combine("ocf", "resource.d", provider, type), body);

    public string WriteInitScript(string name, string body) => Dir.WriteScript(System.IO.Path.Combine("init.d", name), body);

    public OcfScriptAgent Ocf(string name, bool system = true) =>
        new(AgentName.Parse(name), system ? SystemScripts : TestScripts, Runner);

    /// <summary>A unique resource instance name, so parallel tests never share a state file.</summary>
    public static string Instance(string prefix = "r") => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public void Dispose() => Dir.Dispose();
}
