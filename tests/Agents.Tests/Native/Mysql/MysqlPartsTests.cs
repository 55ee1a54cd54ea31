using ClusterD.Agents.Native.Mysql;

namespace ClusterD.Agents.Tests.Native.Mysql;

/// <summary>The agent's pure parts: argument splitting, the server's command line, durability rules, shutdown budget.</summary>
public sealed class MysqlPartsTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("  --skip-external-locking   --skip-grant-tables ", new[] { "--skip-external-locking", "--skip-grant-tables" })]
    [InlineData("--init-file='/etc/my init.sql' \"--x=a b\"", new[] { "--init-file=/etc/my init.sql", "--x=a b" })]
    [InlineData("--a=\\\"q\\\" --b=it\\'s", new[] { "--a=\"q\"", "--b=it's" })]
    [InlineData("--a=$HOME `id`", new[] { "--a=$HOME", "`id`" })]
    public void ShellWords_SplitsLikeTheScriptsShell_WithoutExpanding(string text, string[] expected)
    {
        Assert.True(ShellWords.TrySplit(text, out var words, out _));
        Assert.Equal(expected, words);
    }

    [Fact]
    public void ServerArguments_DefaultsFileFirst_UserOnlyAsRoot_AdditionalLast()
    {
        var settings = Settings(new() { ["config"] = "/etc/mysql/my.cnf", ["port"] = "3307", ["bind_address"] = "10.0.0.5", ["additional_parameters"] = "--skip-name-resolve" });

        var asRoot = ServerLauncher.Arguments(settings, asRoot: true);
        var asUser = ServerLauncher.Arguments(settings, asRoot: false);

        Assert.Equal(
            ["--defaults-file=/etc/mysql/my.cnf", "--pid-file=/var/run/mysqld/mysqld.pid", "--socket=/var/run/mysqld/mysqld.sock",
             "--datadir=/var/lib/mysql", "--log-error=/var/log/mysql/error.log", "--user=mysql", "--port=3307",
             "--bind-address=10.0.0.5", "--skip-name-resolve"],
            asRoot);
        Assert.DoesNotContain("--user=mysql", asUser);
    }

    [Fact]
    public void ServerArguments_EmptyConfig_NoDefaultsFile() =>
        Assert.DoesNotContain(ServerLauncher.Arguments(Settings(new() { ["config"] = "" }), asRoot: false), a => a.StartsWith("--defaults-file", StringComparison.Ordinal));

    [Theory]
    [InlineData(1, 0, false, 0)]
    [InlineData(1, 1, true, 0)]
    [InlineData(3, 1, true, 0)]
    [InlineData(2, 0, false, 1)]
    [InlineData(0, 1, true, 1)]
    [InlineData(1, 0, true, 1)]
    [InlineData(2, 100, true, 2)]
    public void Durability_WarnsForEachRiskySetting(long flush, long syncBinlog, bool binaryLog, int warnings) =>
        Assert.Equal(warnings, new DurabilitySettings(flush, syncBinlog, binaryLog).Warnings().Length);

    [Theory]
    [InlineData(20, 15)]
    [InlineData(120, 115)]
    [InlineData(4, 3)]
    public void ShutdownTimeout_LeavesRoomForTheKill(int actionSeconds, int shutdownSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(shutdownSeconds), MysqlAgent.ShutdownTimeout(TimeSpan.FromSeconds(actionSeconds)));

    private static MysqlSettings Settings(Dictionary<string, string> parameters)
    {
        var agent = MysqlAgentLifecycleTests.NewAgent();
        var settings = MysqlSettings.TryRead(
            name => parameters.TryGetValue(name, out var value) ? value : agent.Metadata.Parameter(name)?.Default,
            out var problem);
        return settings ?? throw new InvalidOperationException(problem);
    }
}
