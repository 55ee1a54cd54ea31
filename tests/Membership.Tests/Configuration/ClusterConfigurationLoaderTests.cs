using System.Net;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Quorum;

namespace ClusterD.Membership.Tests.Configuration;

/// <summary>Golden cases loaded from <c>Cases/*.conf</c>, plus the shared helpers of the partial files.</summary>
public sealed partial class ClusterConfigurationLoaderTests
{
    private const string NoEffect = "corosync setting has no effect in clusterd";
    private const string FileName = "inline.conf";

    private const string TwoNodes = """
        nodelist {
            node {
                nodeid: 1
                name: a
                ring0_addr: 10.1.0.1
            }
            node {
                nodeid: 2
                name: b
                ring0_addr: 10.1.0.2
            }
        }
        """;

    private const string ThreeNodes = """
        nodelist {
            node {
                nodeid: 1
                ring0_addr: 10.1.0.1
            }
            node {
                nodeid: 2
                ring0_addr: 10.1.0.2
            }
            node {
                nodeid: 3
                ring0_addr: 10.1.0.3
            }
        }
        """;

    public static TheoryData<string> CaseFiles =>
        new(Directory.GetFiles(CasesDirectory, "*.conf").Select(Path.GetFileName).Order().Select(f => f!));

    private static string CasesDirectory => Path.Combine(AppContext.BaseDirectory, "Configuration", "Cases");

    private static string CasePath(string name) => Path.Combine(CasesDirectory, name);

    /// <summary>1-based line of the only line of <paramref name="text"/> containing <paramref name="marker"/>.</summary>
    private static int LineOf(string text, string marker)
    {
        var lines = text.Split('\n');
        var hits = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(marker, StringComparison.Ordinal)).ToArray();
        Assert.True(hits.Length == 1, $"marker '{marker}' found {hits.Length} times");
        return hits[0] + 1;
    }

    private static ClusterConfiguration Parse(string text) => ClusterConfigurationLoader.Parse(text, FileName);

    private static ConfigException Fails(string text) => Assert.Throws<ConfigException>(() => Parse(text));

    private static (int Line, string Key, string Problem)[] WarningsOf(ClusterConfiguration config) =>
        config.Warnings.Select(w => (w.Line, w.Key, w.Problem)).ToArray();

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void Load_EveryCaseFile_LoadsWithItsPathAsSource(string name)
    {
        var path = CasePath(name);

        var config = ClusterConfigurationLoader.Load(path);

        Assert.Equal(path, config.SourceFile);
        Assert.All(config.Warnings, w => Assert.Equal(path, w.File));
        Assert.NotEmpty(config.Nodes.Nodes);
    }

    [Fact]
    public void Load_TwoNodeLoopbackExample_GivesEveryValue()
    {
        var path = CasePath("two-node-loopback.conf");

        var config = ClusterConfigurationLoader.Load(path);

        Assert.Equal("hacluster", config.Totem.ClusterName);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), config.Totem.Token);
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.Totem.HeartbeatInterval);
        Assert.Equal("udpu", config.Totem.Transport);
        Assert.Equal("aes256", config.Totem.CryptoCipher); // encrypted unless turned off explicitly
        Assert.Equal("none", config.Totem.CryptoHash);
        Assert.Equal(5405, config.Totem.LinkPorts[0]);

        Assert.Equal(2, config.Nodes.Count);
        Assert.Equal(1, config.Nodes.LinkCount);
        Assert.Equal(new NodeId(1), config.Nodes[0].Id);
        Assert.Equal("hadb01", config.Nodes[0].Name);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.11"), 5405)], config.Nodes[0].Links);
        Assert.Equal(1u, config.Nodes[0].Votes);
        Assert.Equal(new NodeId(2), config.Nodes[1].Id);
        Assert.Equal("hadb02", config.Nodes[1].Name);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.12"), 5405)], config.Nodes[1].Links);

        Assert.Equal(new QuorumOptions(ExpectedVotes: 2, TwoNode: true, WaitForAll: true), config.Quorum);

        Assert.Equal("/tmp/c1", config.ClusterD.StateDir);
        Assert.Equal("/tmp/c1/clusterd.sock", config.ClusterD.AdminSocket);
        Assert.Null(config.ClusterD.AdminSocketGroup);
        Assert.Equal("/tmp/authkey", config.ClusterD.AuthKey);
        Assert.Empty(config.ClusterD.AuthKeyAccept);
        Assert.Equal(5406, config.ClusterD.MessagingPort);
        Assert.Null(config.ClusterD.HealthProbePort);

        Assert.Equal(new LoggingOptions(Debug: false, ToStderr: true, ToSyslog: true, ToLogfile: false, LogFile: null, Timestamp: false),
            config.Logging);

        // Only "version: 2", which corosync needs and clusterd does not.
        var warning = Assert.Single(config.Warnings);
        Assert.Equal(new ConfigWarning(path, 2, "totem.version", NoEffect), warning);
        Assert.Equal($"{path}:2: totem.version: {NoEffect}", warning.ToString());
    }

    [Fact]
    public void Load_SeedCorosyncConf_GivesDefaultsAndValues()
    {
        var config = ClusterConfigurationLoader.Load(CasePath("seed-corosync.conf"));

        Assert.Equal("hacluster", config.Totem.ClusterName);
        Assert.Equal("udpu", config.Totem.Transport);
        Assert.Equal("none", config.Totem.CryptoCipher); // the seed turns it off explicitly
        Assert.Equal("none", config.Totem.CryptoHash);
        Assert.Equal(ClusterConfigurationLoader.DefaultToken, config.Totem.Token);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), config.Totem.Token);
        Assert.Equal(TimeSpan.FromMilliseconds(600), config.Totem.HeartbeatInterval);

        Assert.Equal(["node1", "node2"], config.Nodes.Nodes.Select(n => n.Name));
        Assert.Equal([new NodeId(1), new NodeId(2)], config.Nodes.Nodes.Select(n => n.Id));
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.4"), 5405)], config.Nodes[0].Links);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.5"), 5405)], config.Nodes[1].Links);

        Assert.Equal(new QuorumOptions(ExpectedVotes: 2, TwoNode: false, WaitForAll: false), config.Quorum);
        Assert.Equal(
            new LoggingOptions(Debug: false, ToStderr: true, ToSyslog: true, ToLogfile: true, LogFile: "/var/log/corosync/corosync.log",
                Timestamp: true),
            config.Logging);

        Assert.Equal("/var/lib/clusterd", config.ClusterD.StateDir);
        Assert.Equal("/run/clusterd/clusterd.sock", config.ClusterD.AdminSocket);
        Assert.Equal("/etc/clusterd/authkey", config.ClusterD.AuthKey);
        Assert.Equal(ClusterConfigurationLoader.DefaultMessagingPort, config.ClusterD.MessagingPort);
    }

    [Fact]
    public void Load_SeedCorosyncConf_WarnsAboutEveryCorosyncOnlySetting()
    {
        var config = ClusterConfigurationLoader.Load(CasePath("seed-corosync.conf"));

        // version, the interface's ttl, fileline and the logger_subsys block have no effect in clusterd;
        // none of them may be dropped silently (DESIGN.md section 2). crypto_cipher none is honoured, loudly.
        Assert.Equal(
            [
                (2, "totem.version", NoEffect),
                (3, "totem.crypto_cipher", "none: node-to-node messages (configuration, actions, results) travel in clear text, authenticated only"),
                (8, "interface.ttl", NoEffect),
                (14, "logging.fileline", NoEffect),
                (20, "logging.logger_subsys", NoEffect),
            ],
            WarningsOf(config).OrderBy(w => w.Line));
    }

    [Fact]
    public void Parse_LoggerSubsysSection_WarnsThatItHasNoEffect()
    {
        var text = TwoNodes + "\nlogging {\n    logger_subsys {\n        subsys: QUORUM\n        debug: on\n    }\n}\n";

        var config = Parse(text);

        Assert.Equal([(LineOf(text, "logger_subsys"), "logging.logger_subsys", NoEffect)], WarningsOf(config));
    }

    [Fact]
    public void Load_MissingFile_FailsNamingFileWithLineZero()
    {
        var path = CasePath("does-not-exist.conf");

        var e = Assert.Throws<ConfigException>(() => ClusterConfigurationLoader.Load(path));

        Assert.Equal((path, 0, "file"), (e.File, e.Line, e.Key));
        Assert.StartsWith($"{path}: file: cannot be read", e.Message, StringComparison.Ordinal);
    }
}
