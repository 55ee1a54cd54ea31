using ClusterD.Daemon.Demo;

namespace ClusterD.Daemon.Tests.Demo;

/// <summary>
/// What <c>clusterd demo --mysql</c> checks before it starts anything, on made-up hosts: each missing thing is
/// named with the Debian package that provides it, the demo exits 69 and the testbed script is never run.
/// </summary>
public sealed class TestbedPrerequisitesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clusterd-prereq-").FullName;

    [Fact]
    public void Check_EverythingThere_FindsNothingMissing()
    {
        Assert.Empty(TestbedPrerequisites.Check(Host()));
    }

    [Fact]
    public void Check_NotRoot_NamesRootWithoutAPackage()
    {
        var missing = Assert.Single(TestbedPrerequisites.Check(Host() with { IsRoot = false }));

        Assert.Equal("root", missing.What);
        Assert.Null(missing.Package);
    }

    [Fact]
    public void Check_ProgramsMissing_NamesEachWithItsDebianPackage()
    {
        var missing = TestbedPrerequisites.Check(Host(without: ["haproxy", "losetup", "mariadbd", "mariadb-install-db"]));

        Assert.Equal(
            [("mariadbd", "mariadb-server"), ("mariadb-install-db", "mariadb-server"), ("haproxy", "haproxy"), ("losetup", "mount")],
            missing.Select(m => (m.What, m.Package)));
        var message = TestbedPrerequisites.Explain(missing);
        Assert.Contains("haproxy             the load balancer in front of both nodes (package haproxy)", message, StringComparison.Ordinal);
        Assert.EndsWith("Install the missing packages with: apt-get install mariadb-server haproxy mount", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoMysqlAccount_AsksForTheServerPackage()
    {
        var missing = Assert.Single(TestbedPrerequisites.Check(Host() with { HasUser = _ => false }));

        Assert.Equal(("user mysql", "mariadb-server"), (missing.What, missing.Package));
    }

    [Fact]
    public void Check_NoScriptInTheTree_SaysToRunFromACheckout()
    {
        var missing = Assert.Single(TestbedPrerequisites.Check(Host() with { Script = null }));

        Assert.Equal(Path.Combine("tests", "e2e", "testbed", "testbed"), missing.What);
        Assert.Contains("dotnet run --project src/Daemon -c Release -- demo --mysql", missing.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TestbedAlreadyUp_RefusesAndSaysHowToTakeItDown()
    {
        var marker = Path.Combine(_dir, "up");
        File.WriteAllText(marker, "");

        var missing = Assert.Single(TestbedPrerequisites.Check(Host() with { UpMarker = marker }));

        Assert.Equal("testbed already up", missing.What);
        Assert.Contains($"'{Script()} down'", missing.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void FindScript_FromAFolderInsideTheCheckout_FindsItAbove()
    {
        var script = Script();
        var below = Directory.CreateDirectory(Path.Combine(_dir, "src", "Daemon", "bin", "Release")).FullName;

        Assert.Equal(script, TestbedPrerequisites.FindScript([Path.GetTempPath(), below]));
        Assert.Null(TestbedPrerequisites.FindScript([Path.GetTempPath()]));
    }

    public static TheoryData<string, string> HostsMissingSomething => new()
    {
        { "not root", "  root " },
        { "no haproxy", "(package haproxy)" },
        { "no mkfs.ext3", "(package e2fsprogs)" },
        { "no ip", "(package iproute2)" },
    };

    [Theory]
    [MemberData(nameof(HostsMissingSomething))]
    public async Task RunMysql_HostMissingSomething_Exits69WithTheMessage_AndNeverRunsTheTestbed(string host, string expected)
    {
        var ran = Path.Combine(_dir, "ran");
        var facts = host switch
        {
            "not root" => Host() with { IsRoot = false },
            "no haproxy" => Host(without: ["haproxy"]),
            "no mkfs.ext3" => Host(without: ["mkfs.ext3"]),
            _ => Host(without: ["ip"]),
        };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await DemoDrill.RunMysqlAsync(1000, facts, output, error, TestContext.Current.CancellationToken);

        Assert.Equal(69, exit);
        Assert.StartsWith("clusterd demo --mysql cannot run on this host, nothing was started. It needs:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
        Assert.False(File.Exists(ran), "the testbed script ran");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A host with everything the testbed needs, except the programs <paramref name="without"/>.</summary>
    private TestbedPrerequisites.Host Host(string[]? without = null) =>
        new(IsRoot: true, HasProgram: p => !(without ?? []).Contains(p), HasUser: u => u == "mysql", Script: Script(), UpMarker: Path.Combine(_dir, "no-such-marker"));

    /// <summary>A testbed script in a made-up checkout that leaves a mark when it runs.</summary>
    private string Script()
    {
        var script = Path.Combine(_dir, "tests", "e2e", "testbed", "testbed");
        if (!File.Exists(script))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(script)!);
            File.WriteAllText(script, $"#!/bin/bash\ntouch '{Path.Combine(_dir, "ran")}'\n");
        }

        return script;
    }
}
