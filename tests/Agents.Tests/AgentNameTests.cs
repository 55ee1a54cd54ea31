namespace ClusterD.Agents.Tests;

public sealed class AgentNameTests
{
    [Theory]
    [InlineData("ocf:heartbeat:Dummy", AgentClass.Ocf, "heartbeat", "Dummy", false, "ocf:heartbeat:Dummy")]
    [InlineData("OCF:pacemaker:Stateful", AgentClass.Ocf, "pacemaker", "Stateful", false, "ocf:pacemaker:Stateful")]
    [InlineData("clusterd:probe-port", AgentClass.Ocf, "clusterd", "probe-port", false, "ocf:clusterd:probe-port")]
    [InlineData("lsb:haproxy", AgentClass.Lsb, null, "haproxy", false, "lsb:haproxy")]
    [InlineData("systemd:mariadb.service", AgentClass.Systemd, null, "mariadb.service", false, "systemd:mariadb.service")]
    [InlineData("systemd:dev-disk-by\\x2dlabel-a:b.device", AgentClass.Systemd, null, "dev-disk-by\\x2dlabel-a:b.device", false, "systemd:dev-disk-by\\x2dlabel-a:b.device")]
    [InlineData("script:ocf:heartbeat:Dummy", AgentClass.Ocf, "heartbeat", "Dummy", true, "ocf:heartbeat:Dummy")]
    [InlineData("  ocf:heartbeat:IPaddr2 ", AgentClass.Ocf, "heartbeat", "IPaddr2", false, "ocf:heartbeat:IPaddr2")]
    public void Parse_ValidName_GivesParts(string text, AgentClass agentClass, string? provider, string type, bool scriptOnly, string key)
    {
        var name = AgentName.Parse(text);

        Assert.Equal(agentClass, name.Class);
        Assert.Equal(provider, name.Provider);
        Assert.Equal(type, name.Type);
        Assert.Equal(scriptOnly, name.ScriptOnly);
        Assert.Equal(key, name.Key);
        Assert.Equal(scriptOnly ? "script:" + key : key, name.ToString());
        Assert.Equal(name, AgentName.Parse(name.ToString()));
    }

    [Theory]
    [InlineData("", "empty agent name")]
    [InlineData("Dummy", "has no class")]
    [InlineData("ocf:Dummy", "ocf:PROVIDER:TYPE")]
    [InlineData("ocf:heartbeat:Dummy:extra", "ocf:PROVIDER:TYPE")]
    [InlineData("ocf:heartbeat:", "type ''")]
    [InlineData("ocf::Dummy", "provider ''")]
    [InlineData("ocf:..:Dummy", "provider '..'")]
    [InlineData("ocf:heartbeat:../../../bin/sh", "type '../../../bin/sh'")]
    [InlineData("lsb:../x", "script name")]
    [InlineData("lsb:my service", "script name")]
    [InlineData("systemd:", "unit ''")]
    [InlineData("stonith:fence_azure_arm", "unknown class 'stonith'")]
    [InlineData("clusterd:a:b", "clusterd:TYPE")]
    [InlineData("script:clusterd:probe-port", "native only")]
    public void TryParse_BadName_SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(AgentName.TryParse(text, out var name, out var error));
        Assert.Null(name);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => AgentName.Parse(text));
        Assert.Equal(error, thrown.Message);
    }
}
