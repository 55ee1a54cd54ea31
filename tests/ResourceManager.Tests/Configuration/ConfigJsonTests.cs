using System.Text.Json;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Tests.Configuration;

public sealed class ConfigJsonTests
{
    [Fact]
    public void Write_SeedConfig_CamelCaseWithCrmSpellings()
    {
        var config = CrmParser.ParseFile(Fixtures.Crm("mysql-drbd-modern.conf")).GetConfigOrThrow();

        using var doc = JsonDocument.Parse(ConfigJson.Write(config));
        var root = doc.RootElement;

        Assert.Equal(
            ["version", "nodes", "primitives", "groups", "clones", "resourceOrder", "locations", "colocations", "orders", "properties", "resourceDefaults", "operationDefaults"],
            root.EnumerateObject().Select(p => p.Name));
        var drbd = root.GetProperty("primitives")[0];
        Assert.Equal("ocf:linbit:drbd", drbd.GetProperty("agent").GetString());
        Assert.Equal("r0", drbd.GetProperty("params").GetProperty("drbd_resource").GetString());
        var monitor = drbd.GetProperty("operations")[0];
        Assert.Equal(("monitor", "29s", "20s", "Promoted"),
            (monitor.GetProperty("name").GetString(), monitor.GetProperty("interval").GetString(), monitor.GetProperty("timeout").GetString(), monitor.GetProperty("role").GetString()));
        Assert.False(monitor.TryGetProperty("onFail", out _));
        Assert.Equal("INFINITY", root.GetProperty("colocations")[0].GetProperty("score").GetString());
        Assert.Equal("-INFINITY", root.GetProperty("locations")[0].GetProperty("score").GetString());
        Assert.True(root.GetProperty("clones")[0].GetProperty("promotable").GetBoolean());
        Assert.Equal("Mandatory", root.GetProperty("orders")[0].GetProperty("kind").GetString());
        Assert.Equal("promote", root.GetProperty("orders")[0].GetProperty("firstAction").GetString()!.ToLowerInvariant());
        Assert.Equal("15s", root.GetProperty("properties").GetProperty("priorityFencingDelay").GetString());
        Assert.Equal("200", root.GetProperty("resourceDefaults").GetProperty("resource-stickiness").GetString());
        Assert.Equal(0, root.GetProperty("version").GetProperty("epoch").GetInt32());
    }
}
