using ClusterD.Agents.Native;
using ClusterD.Agents.Native.Dummy;
using ClusterD.Agents.Native.ProbePort;
using ClusterD.Agents.Native.Stateful;
using ClusterD.Agents.Scripts;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests;

public sealed class AgentResolverTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly AgentResolver _resolver;

    public AgentResolverTests() =>
        _resolver = new AgentResolver(new AgentRegistry().RegisterBuiltIns(_h.Native, TimeProvider.System), _h.SystemScripts, _h.Runner);

    [Theory]
    [InlineData("ocf:heartbeat:Dummy", typeof(DummyAgent))]
    [InlineData("ocf:pacemaker:Dummy", typeof(DummyAgent))]
    [InlineData("clusterd:Dummy", typeof(DummyAgent))]
    [InlineData("ocf:pacemaker:Stateful", typeof(StatefulAgent))]
    [InlineData("ocf:heartbeat:azure-lb", typeof(ProbePortAgent))]
    [InlineData("clusterd:probe-port", typeof(ProbePortAgent))]
    [InlineData("script:ocf:heartbeat:Dummy", typeof(OcfScriptAgent))]
    [InlineData("ocf:heartbeat:Filesystem", typeof(ClusterD.Agents.Native.Filesystem.FilesystemAgent))]
    [InlineData("script:ocf:heartbeat:Filesystem", typeof(OcfScriptAgent))]
    [InlineData("ocf:heartbeat:IPaddr2", typeof(OcfScriptAgent))]
    [InlineData("ocf:linbit:drbd", typeof(ClusterD.Agents.Native.Drbd.DrbdAgent))]
    [InlineData("ocf:clusterd:nothing", typeof(OcfScriptAgent))]
    [InlineData("lsb:haproxy", typeof(LsbScriptAgent))]
    [InlineData("systemd:mariadb", typeof(SystemdUnitAgent))]
    public void Resolve_NativeFirstThenScript(string name, Type expected)
    {
        var agent = _resolver.Resolve(name);

        Assert.IsType(expected, agent);
        Assert.Equal(AgentName.Parse(name).Key, agent.Name.Key);
    }

    [Theory]
    [InlineData("false", typeof(OcfScriptAgent))]
    [InlineData("No", typeof(OcfScriptAgent))]
    [InlineData("0", typeof(OcfScriptAgent))]
    [InlineData("true", typeof(DummyAgent))]
    [InlineData("", typeof(DummyAgent))]
    public void Resolve_NativeMetaAttribute_CanForceTheScript(string value, Type expected) =>
        Assert.IsType(expected, _resolver.Resolve("ocf:heartbeat:Dummy", new Dictionary<string, string> { ["clusterd-native"] = value }));

    [Fact]
    public void Resolve_SameName_SameInstance() =>
        Assert.Same(_resolver.Resolve("clusterd:probe-port"), _resolver.Resolve("ocf:clusterd:probe-port"));

    [Fact]
    public async Task Resolve_UnregisteredClusterdType_IsNotInstalled()
    {
        var result = await _resolver.Resolve("clusterd:nothing").ExecuteAsync(new AgentRequest(AgentAction.Start, "x"), TestContext.Current.CancellationToken);

        Assert.Equal(OcfExitCode.NotInstalled, result.ExitCode);
    }

    [Fact]
    public void Registry_ListsBuiltIns()
    {
        var names = new AgentRegistry().RegisterBuiltIns(_h.Native, TimeProvider.System).Names.Select(n => n.Key);

        Assert.Equal(
            ["ocf:clusterd:Dummy", "ocf:clusterd:Filesystem", "ocf:clusterd:Stateful", "ocf:clusterd:drbd", "ocf:clusterd:mysql",
             "ocf:clusterd:probe-port", "ocf:heartbeat:Dummy", "ocf:heartbeat:Filesystem", "ocf:heartbeat:azure-lb", "ocf:heartbeat:mysql",
             "ocf:linbit:drbd", "ocf:pacemaker:Dummy", "ocf:pacemaker:Stateful"],
            names);
        Assert.Throws<ArgumentException>(() => new AgentRegistry().Register("script:ocf:x:y", n => new DummyAgent(n, _h.Native, TimeProvider.System)));
    }

    public void Dispose() => _h.Dispose();
}
