using ClusterD.Membership.Configuration;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>The example configuration shipped in deploy/ must load as it is, without a warning.</summary>
public sealed class DeployExampleTests
{
    [Fact]
    public void DeployClusterdConf_Loads_TwoNodesTwoNodeQuorumNoWarnings()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClusterD.sln")))
        {
            dir = dir.Parent;
        }

        var config = ClusterConfigurationLoader.Load(Path.Combine(dir!.FullName, "deploy", "clusterd.conf"));

        Assert.Empty(config.Warnings);
        Assert.Equal(["hadb01", "hadb02"], config.Nodes.Nodes.Select(n => n.Name));
        Assert.True(config.Quorum.TwoNode && config.Quorum.WaitForAll);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), config.Totem.Token);
        Assert.Equal("/run/clusterd/clusterd.sock", config.ClusterD.AdminSocket);
        Assert.Equal("haclient", config.ClusterD.AdminSocketGroup);
    }
}
