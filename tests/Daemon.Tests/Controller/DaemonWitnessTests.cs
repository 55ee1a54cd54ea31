using ClusterD.Daemon.Controller;
using ClusterD.Membership.Configuration;
using ClusterD.TestKit;

namespace ClusterD.Daemon.Tests.Controller;

/// <summary>The witness of clusterd.conf as the daemon checks it: errors name file, line and key; the lease id is fixed per cluster and node.</summary>
public sealed class DaemonWitnessTests
{
    private static ClusterConfiguration Config(string witness) =>
        ClusterConfigurationLoader.Parse(TestConfigs.Text([["127.0.0.1"], ["127.0.0.2"]], extraQuorum: witness), "clusterd.conf");

    private static int LineOf(ClusterConfiguration config, string key) => config.Witness!.LineOf(key);

    [Fact]
    public void Settings_NoWitness_IsNull()
    {
        Assert.Null(DaemonWitness.Settings(ClusterConfigurationLoader.Parse(TestConfigs.Text([["127.0.0.1"], ["127.0.0.2"]]), "clusterd.conf")));
    }

    [Fact]
    public void Settings_AccountAndContainer_IsTheBlobInThePublicCloudWithDefaults()
    {
        var settings = DaemonWitness.Settings(Config("    witness {\n        type: azure_blob\n        account: hadbwitness\n        container: clusterd\n    }\n"))!;

        Assert.Equal("https://hadbwitness.blob.core.windows.net/clusterd/clusterd-witness", settings.BlobUrl.ToString());
        Assert.Equal((TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5)),
            (settings.Timings.HeadStart, settings.Timings.LeaseDuration, settings.Timings.RenewInterval));
        Assert.Equal(Fencing.Azure.AzureIdentityKind.ManagedIdentity, settings.Azure.IdentityKind);
    }

    [Theory]
    [InlineData("container: Bad_Name", "container")]
    [InlineData("head_start: soon", "head_start")]
    [InlineData("lease_duration: 10", "lease_duration")]
    [InlineData("ca_bundle: relative.pem", "ca_bundle")]
    [InlineData("url: https://a.blob.core.windows.net/c/b", "url")]
    public void Settings_BadValue_NamesFileLineAndKey(string line, string key)
    {
        var config = Config($"    witness {{\n        type: azure_blob\n        account: hadbwitness\n        container: clusterd\n        {line}\n    }}\n");

        var e = Assert.Throws<ConfigException>(() => DaemonWitness.Settings(config));

        Assert.Equal(("clusterd.conf", $"quorum.witness.{key}", LineOf(config, key)), (e.File, e.Key, e.Line));
    }

    [Fact]
    public void Create_CaBundleMissing_IsAConfigErrorNamingTheKey()
    {
        var config = Config("    witness {\n        type: azure_blob\n        account: hadbwitness\n        container: clusterd\n        ca_bundle: /nonexistent/ca.pem\n    }\n");

        var e = Assert.Throws<ConfigException>(() => DaemonWitness.Check(config));

        Assert.Equal(("quorum.witness.ca_bundle", LineOf(config, "ca_bundle")), (e.Key, e.Line));
    }

    [Fact]
    public void LeaseId_IsStablePerNodeAndDiffersBetweenNodesAndClusters()
    {
        Assert.Equal(DaemonWitness.LeaseId("hacluster", "node1"), DaemonWitness.LeaseId("hacluster", "node1"));
        Assert.NotEqual(DaemonWitness.LeaseId("hacluster", "node1"), DaemonWitness.LeaseId("hacluster", "node2"));
        Assert.NotEqual(DaemonWitness.LeaseId("hacluster", "node1"), DaemonWitness.LeaseId("other", "node1"));
    }
}
